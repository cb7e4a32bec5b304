import { Worker } from 'node:worker_threads';
import type { SessionSettings, SqliteSync } from '../core/config.ts';
import type { SqliteDatabase } from '../db/database.ts';
import { flatten, type ThreadRequest, type WriteReply } from '../modules/events/write-request.ts';
import { threadUrl } from '../db/thread-url.ts';
import type { RuleRunning } from '../modules/automation/rule-runner.ts';
import type { PlanSettings } from '../modules/notifications/notification-plan.ts';
import type { SessionDeriver } from '../modules/derivation/session-deriver.ts';
import type { EventStore } from '../modules/events/event-store.ts';
import type { GroupOutcome } from '../modules/events/session-owners.ts';

interface Waiter {
  resolve(reply: { duplicates: GroupOutcome[]; covered?: number }): void;
  reject(error: unknown): void;
}

const THREAD_URL = threadUrl(import.meta.url, 'sqlite-write-thread');

/**
 * The SQLite event store with its writes moved to a worker thread (see
 * sqlite-write-thread.ts); reads stay on the main connection, which WAL lets run beside
 * the writer. The thread also runs the derivation and the team rules passes: `deriver`
 * and `rules` reach them there.
 */
export function withSqliteWriteThread(
  store: EventStore,
  db: SqliteDatabase,
  sync: SqliteSync,
  derive: Pick<SessionSettings, 'deriveDelayMs' | 'deriveBacklogMax'> & { plan: PlanSettings },
  onOtherWriters?: (events: number) => void,
): EventStore & { deriver: SessionDeriver; rules: RuleRunning; close(): Promise<void> } {
  let worker: Worker | null = null;
  let nextId = 1;
  const waiting = new Map<number, Waiter>();
  // The background rules loop's interval while it runs on the thread.
  let loopIntervalMs: number | null = null;
  const report = { derivation: (_error: unknown) => {}, rules: (_error: unknown) => {}, notifications: (_count: number) => {} };

  const failAll = (error: unknown) => {
    for (const waiter of waiting.values()) waiter.reject(error);
    waiting.clear();
  };
  const start = (): Worker => {
    const w = new Worker(THREAD_URL, { workerData: { path: db.path, sync, ...derive } });
    // A thread started again after one died runs the rules loop the old one ran.
    if (loopIntervalMs !== null) w.postMessage({ id: nextId++, rules: 'start', intervalMs: loopIntervalMs } satisfies ThreadRequest);
    w.on('message', (reply: WriteReply) => {
      if ('fromOtherWriters' in reply) {
        onOtherWriters?.(reply.fromOtherWriters);
        return;
      }
      if ('notifications' in reply) {
        report.notifications(reply.notifications);
        return;
      }
      // Id 0: a background pass failed; its events wait for the next one.
      if (reply.id === 0 && 'error' in reply)
        report[reply.background ?? 'derivation'](Object.assign(new Error(reply.error.message), { code: reply.error.code }));
      const waiter = waiting.get(reply.id);
      if (!waiter) return;
      waiting.delete(reply.id);
      if ('error' in reply) waiter.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
      else waiter.resolve(reply);
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
    return new Promise<{ duplicates: GroupOutcome[]; covered?: number }>((resolve, reject) => {
      waiting.set(request.id, { resolve, reject });
      worker!.postMessage(request);
    });
  };

  return {
    ...store,
    writeGroups: async (groups, teamBound) => (await send({ ...flatten(groups, teamBound), id: nextId++ })).duplicates,
    deriver: {
      // The thread schedules its own passes after each commit, and holds commits back itself.
      kick() {},
      async room() {},
      async catchUp() {
        await send({ id: nextId++, catchUp: true });
      },
      onError(handler) {
        report.derivation = handler;
      },
      async close() {},
    },
    rules: {
      async pass() {
        return (await send({ id: nextId++, rules: 'pass' })).covered ?? 0;
      },
      async catchUp(withinMs = Infinity) {
        await send({ id: nextId++, rules: 'catchUp', withinMs });
      },
      onNotifications(listener) {
        report.notifications = listener;
      },
      startLoop(options) {
        report.rules = options.onError;
        loopIntervalMs = options.intervalMs;
        const started = send({ id: nextId++, rules: 'start', intervalMs: options.intervalMs });
        return {
          async stop() {
            loopIntervalMs = null;
            await started.catch(() => {});
            // A pass under way commits (or not) before the reply; a dead thread has none.
            if (worker) await send({ id: nextId++, rules: 'stop' }).catch(() => {});
          },
        };
      },
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
