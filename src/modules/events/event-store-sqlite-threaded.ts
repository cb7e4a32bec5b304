import { Worker } from 'node:worker_threads';
import type { SqliteSync } from '../../config/config.ts';
import type { SqliteDatabase } from '../../db/database.ts';
import { flatten, type WriteReply, type WriteRequest } from '../../db/write-request.ts';
import { threadUrl } from '../../db/thread-url.ts';
import type { EventStore } from './event-store.ts';

interface Waiter {
  resolve(duplicates: number[]): void;
  reject(error: unknown): void;
}

const THREAD_URL = threadUrl('sqlite-write-thread');

/**
 * The SQLite event store with its writes moved to a worker thread (see
 * sqlite-write-thread.ts); reads stay on the main connection, which WAL lets run beside
 * the writer.
 */
export function withSqliteWriteThread(
  store: EventStore,
  db: SqliteDatabase,
  sync: SqliteSync,
): EventStore & { close(): Promise<void> } {
  let worker: Worker | null = null;
  let nextId = 1;
  const waiting = new Map<number, Waiter>();

  const failAll = (error: unknown) => {
    for (const waiter of waiting.values()) waiter.reject(error);
    waiting.clear();
  };
  const start = (): Worker => {
    const w = new Worker(THREAD_URL, { workerData: { path: db.path, sync } });
    w.on('message', (reply: WriteReply) => {
      const waiter = waiting.get(reply.id);
      if (!waiter) return;
      waiting.delete(reply.id);
      if ('error' in reply) waiter.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
      else waiter.resolve(reply.duplicates);
    });
    // A dead thread fails what it held (nothing of it was acknowledged) and is replaced on the next write.
    w.on('error', (error) => failAll(Object.assign(error, { code: (error as { code?: string }).code ?? 'SQLITE_BUSY' })));
    w.on('exit', () => {
      if (worker === w) worker = null;
      failAll(Object.assign(new Error('SQLite write thread exited'), { code: 'SQLITE_BUSY' }));
    });
    return w;
  };

  return {
    ...store,
    writeGroups(groups) {
      worker ??= start();
      const id = nextId++;
      const request: WriteRequest = { ...flatten(groups), id };
      return new Promise<number[]>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker!.postMessage(request);
      });
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
