import { parentPort, workerData } from 'node:worker_threads';
import type { SqliteSync } from '../core/config.ts';
import { openSqlite } from './sqlite-connection.ts';

/**
 * WAL checkpoints off the commit path. SQLite's automatic checkpoint runs inside
 * whichever commit crosses the threshold, so that commit, and every acknowledgement
 * waiting on it, pays for copying the WAL back; a PASSIVE checkpoint here runs beside
 * the writer instead.
 *
 * PASSIVE alone never lets the WAL start over under steady ingest: SQLite rewinds it only
 * once every frame is copied back, and the writer appends new frames while each
 * checkpoint runs, so the WAL grows for as long as the load lasts. So once the WAL holds
 * more than RESTART_BYTES, a RESTART checkpoint follows the PASSIVE one: it holds writers
 * back only while it copies what was written during the PASSIVE one, and the next commit
 * writes from the start of the file again (which journal_size_limit then keeps from
 * staying at its peak).
 */
const { path, sync, intervalMs, restartBytes } = workerData as { path: string; sync: SqliteSync; intervalMs: number; restartBytes: number };
/**
 * How long a RESTART checkpoint may wait, for the write lock and then for readers still on
 * old frames. It holds the write lock while it waits for readers, so every commit waits
 * with it: with the usual 5 s, one long read transaction (an export, a long analytics
 * query, a sqlite3 shell) held every acknowledgement for about as long as it lasted, and
 * one longer than the wait made commits fail with SQLITE_BUSY. Past this wait the checkpoint copies what it can, as
 * PASSIVE does, and the next tick tries the restart again.
 */
const RESTART_WAIT_MS = 10;
const db = openSqlite({ path, sync, busyTimeoutMs: RESTART_WAIT_MS });
const pageSize = (db.sqlite.pragma('page_size') as { page_size: number }[])[0]!.page_size;

interface CheckpointResult {
  busy: number;
  /** Frames in the WAL. */
  log: number;
  checkpointed: number;
}

const timer = setInterval(() => {
  try {
    const [passive] = db.sqlite.pragma('wal_checkpoint(PASSIVE)') as CheckpointResult[];
    if (passive && passive.log * pageSize > restartBytes) db.sqlite.pragma('wal_checkpoint(RESTART)');
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
