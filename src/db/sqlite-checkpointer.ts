import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { SqliteSync } from '../core/config.ts';
import { threadUrl } from './thread-url.ts';

export interface Checkpointer {
  stop(): Promise<void>;
}

/** WAL size past which the checkpoint thread makes the WAL start over (see sqlite-checkpoint-thread.ts). */
export const WAL_RESTART_BYTES = 16 * 1024 * 1024;

/** Starts the checkpoint thread; writer connections then turn wal_autocheckpoint off. */
export function startSqliteCheckpointer(path: string, sync: SqliteSync, intervalMs = 250, restartBytes = WAL_RESTART_BYTES): Checkpointer {
  const worker = new Worker(threadUrl(import.meta.url, 'sqlite-checkpoint-thread'), {
    workerData: { path, sync, intervalMs, restartBytes },
  });
  worker.unref();
  return {
    async stop() {
      worker.postMessage('stop');
      await Promise.race([once(worker, 'message'), once(worker, 'exit'), new Promise((r) => setTimeout(r, 2000))]);
      await worker.terminate();
    },
  };
}
