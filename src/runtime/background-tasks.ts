import type { Config } from '../core/config.ts';
import { startJobScheduler } from '../modules/performance/job-scheduler.ts';
import { performanceJobs } from '../modules/performance/performance-jobs.ts';
import { startStaleSweeper } from '../modules/sessions/stale-sweeper.ts';
import type { BackgroundTask } from './background-task.ts';
import type { Services } from './services.ts';

export interface BackgroundHooks {
  onStaleSessions?(count: number): void;
  /** A scheduled job (hourly performance rows, retention) finished a run. */
  onJobRun?(name: string, result: string): void;
}

const PARTITION_UPKEEP_MS = 60 * 60 * 1000;
const EVENT_MINUTES_PRUNE_MS = 60 * 60 * 1000;
const NOTIFICATION_PRUNE_MS = 60 * 60 * 1000;

/**
 * Every loop `hookd serve` runs beside its requests, in start order; they stop in reverse
 * order before the write queue drains and the storage closes (services.close). A new
 * periodic job goes here, or into the scheduled jobs when only one process of many may
 * run it at a time.
 */
export function backgroundTasks(services: Services, config: Config, hooks: BackgroundHooks = {}): BackgroundTask[] {
  const { stores } = services;
  const tasks: BackgroundTask[] = [
    {
      // Events stored while no server ran (hooks writing the file, a crash before a pass)
      // are derived before the first request. Passes then follow commits (stores.deriver.kick);
      // the last one runs when the storage closes, after the write queue drained.
      name: 'session derivation',
      async start(onError) {
        stores.deriver.onError(onError);
        await stores.deriver.catchUp();
        return { stop: async () => {} };
      },
    },
  ];
  if (stores.dialect === 'postgres') {
    const partitions = stores.partitions;
    tasks.push({
      // Opening the storage created the months ahead; a server running for weeks keeps them ahead.
      name: 'partition upkeep',
      start(onError) {
        const timer = setInterval(() => {
          partitions.ensureAhead(Date.now(), config.partitionsAhead).catch(onError);
        }, PARTITION_UPKEEP_MS);
        timer.unref();
        return { stop: async () => clearInterval(timer) };
      },
    });
  }
  // Minutes past any window GET /stats/events serves; hourly, and at start after a long stop.
  tasks.push(pruning('event minutes upkeep', EVENT_MINUTES_PRUNE_MS, () => services.stats.prune()));
  if (services.sessionMaintenance.staleAfterMs > 0) {
    tasks.push({
      name: 'stale session sweep',
      start: (onError) =>
        startStaleSweeper(services.sessionMaintenance, {
          intervalMs: config.sessions.sweepIntervalMs,
          onError,
          onSwept: hooks.onStaleSessions,
        }),
    });
  }
  tasks.push({
    // A pass under way commits (or not) before the storage closes; the rest waits durably for the next start.
    name: 'team rules',
    start: (onError) => services.rules.startLoop({ intervalMs: config.rulesIntervalMs, onError }),
  });
  tasks.push({
    // After the rules, so it stops before them: a delivery under way records its answer first.
    name: 'notification delivery',
    start: (onError) => services.notificationWorker.start(onError),
  });
  if (config.notifications.retentionDays > 0) {
    const days = config.notifications.retentionDays;
    tasks.push(pruning('notification retention', NOTIFICATION_PRUNE_MS, () => services.notifications.prune(days)));
  }
  const jobs = performanceJobs(services.performance, config.performance);
  if (jobs.length > 0) {
    tasks.push({
      name: 'scheduled job',
      start: (onError) =>
        startJobScheduler(stores.jobs, jobs, {
          onError: (name, error) => onError(error, name),
          onRun: hooks.onJobRun,
        }),
    });
  }
  return tasks;
}

/**
 * A deletion of what is past its time, at start and then every `everyMs`. Any number of
 * processes may run it: deleting what is already gone changes nothing.
 */
function pruning(name: string, everyMs: number, prune: () => Promise<unknown>): BackgroundTask {
  return {
    name,
    start(onError) {
      let run = Promise.resolve();
      const once = () => {
        run = prune().then(() => {}, onError);
      };
      once();
      const timer = setInterval(once, everyMs);
      timer.unref();
      return {
        stop: async () => {
          clearInterval(timer);
          await run;
        },
      };
    },
  };
}
