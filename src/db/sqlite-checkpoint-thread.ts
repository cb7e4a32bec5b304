import { parentPort, workerData } from 'node:worker_threads';
import type { SqliteSync } from '../config/config.ts';
import { openSqlite } from './sqlite-connection.ts';

/**
 * WAL checkpoints off the commit path. SQLite's automatic checkpoint runs inside
 * whichever commit crosses the threshold, which made single-event commit p99 jump
 * from under 2 ms to 9-13 ms; a PASSIVE checkpoint here runs beside the writer instead.
 */
const { path, sync, intervalMs } = workerData as { path: string; sync: SqliteSync; intervalMs: number };
const db = openSqlite({ path, sync });

const timer = setInterval(() => {
  try {
    db.sqlite.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or locked: the next tick tries again.
  }
}, intervalMs);

parentPort!.on('message', (message: string) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  try {
    db.sqlite.pragma('wal_checkpoint(PASSIVE)');
  } finally {
    db.sqlite.close();
    parentPort!.postMessage('stopped');
  }
});
