import { Worker } from 'node:worker_threads';
import type { SqliteSync } from '../../config/config.ts';
import type { SqliteDatabase } from '../../db/database.ts';
import { flatten, type ThreadRequest, type WriteReply } from '../../db/write-request.ts';
import { threadUrl } from '../../db/thread-url.ts';
import type { SessionDeriver } from '../sessions/session-deriver.ts';
import type { EventStore } from './event-store.ts';

interface Waiter {
  resolve(duplicates: number[]): void;
  reject(error: unknown): void;
}

const THREAD_URL = threadUrl('sqlite-write-thread');

/**
 * The SQLite event store with its writes moved to a worker thread (see
 * sqlite-write-thread.ts); reads stay on the main connection, which WAL lets run beside
 * the writer. The thread also runs the derivation passes; `deriver` asks it to catch up.
 */
export function withSqliteWriteThread(
  store: EventStore,
  db: SqliteDatabase,
  sync: SqliteSync,
  deriveDelayMs: number,
): EventStore & { deriver: SessionDeriver; close(): Promise<void> } {
  let worker: Worker | null = null;
  let nextId = 1;
  const waiting = new Map<number, Waiter>();
  let reportDerivation: (error: unknown) => void = () => {};

  const failAll = (error: unknown) => {
    for (const waiter of waiting.values()) waiter.reject(error);
    waiting.clear();
  };
  const start = (): Worker => {
    const w = new Worker(THREAD_URL, { workerData: { path: db.path, sync, deriveDelayMs } });
    w.on('message', (reply: WriteReply) => {
      // Id 0: a background pass failed; its events wait for the next one.
      if (reply.id === 0 && 'error' in reply) reportDerivation(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
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

  const send = (request: ThreadRequest) => {
    worker ??= start();
    return new Promise<number[]>((resolve, reject) => {
      waiting.set(request.id, { resolve, reject });
      worker!.postMessage(request);
    });
  };

  return {
    ...store,
    writeGroups: (groups) => send({ ...flatten(groups), id: nextId++ }),
    deriver: {
      // The thread schedules its own passes after each commit.
      kick() {},
      async catchUp() {
        await send({ id: nextId++, catchUp: true });
      },
      onError(handler) {
        reportDerivation = handler;
      },
      async close() {},
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
