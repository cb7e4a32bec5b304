import { parentPort, workerData } from 'node:worker_threads';
import type { SqliteSync } from '../config/config.ts';
import { createSqliteEventWriter } from '../modules/events/sqlite-event-writer.ts';
import { openSqlite } from './sqlite-connection.ts';
import { unflatten, type WriteReply, type WriteRequest } from './write-request.ts';

/**
 * The server's SQLite writes run here: a synchronous commit with synchronous=FULL waits
 * for fsync, and on the main thread that wait would stop HTTP for every client. Here
 * the main thread keeps reading requests, which join the next commit.
 */
const { path, sync } = workerData as { path: string; sync: SqliteSync };
const db = openSqlite({ path, sync, autoCheckpoint: false });
const write = createSqliteEventWriter(db.sqlite);

parentPort!.on('message', (request: WriteRequest) => {
  let reply: WriteReply;
  try {
    reply = { id: request.id, duplicates: write(unflatten(request)) };
  } catch (error) {
    const e = error as { code?: string; message?: string };
    reply = { id: request.id, error: { code: e.code, message: e.message ?? String(error) } };
  }
  parentPort!.postMessage(reply);
});
parentPort!.on('close', () => db.sqlite.close());
