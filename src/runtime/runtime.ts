import type { Config } from '../core/config.ts';
import type { Database } from '../db/database.ts';
import type { ServiceLog } from '../core/audit-log.ts';
import { Migrator } from '../db/migrator.ts';
import { openDatabase } from '../db/open-database.ts';
import { startJobScheduler } from '../modules/performance/job-scheduler.ts';
import { performanceJobs } from '../modules/performance/performance-jobs.ts';
import { startStaleSweeper } from '../modules/sessions/stale-sweeper.ts';
import { createServices, type Services } from './services.ts';
import { createStores } from './stores.ts';

export interface RuntimeOptions {
  /** Apply pending migrations first (serve does; most CLI commands do too). */
  migrate?: boolean;
  applicationName?: string;
  /** See StoreOptions.serverThreads; on unless a command says otherwise. */
  serverThreads?: boolean;
  /**
   * Long-running processes (serve) pass this to get periodic upkeep: the stale-session
   * sweep, the team rules, the hourly performance rows and the retention of executions. One-shot
   * commands leave it out and start no timers.
   */
  background?: BackgroundOptions;
  /** Where services write their warnings and `audit` lines; nowhere when absent. */
  log?: ServiceLog;
}

export interface BackgroundOptions {
  onError(what: string, error: unknown): void;
  onStaleSessions?(count: number): void;
  /** A scheduled job (hourly performance rows, retention) finished a run. */
  onJobRun?(name: string, result: string): void;
}

export interface Runtime {
  db: Database | null;
  services: Services;
}

/** Opens the configured storage and wires stores and services: the composition root below HTTP. */
export async function openRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime> {
  const db = config.storage === 'jsonl' ? null : openDatabase(config, options.applicationName);
  try {
    if (db && options.migrate !== false) await new Migrator(db).up();
    const stores = createStores(db, config, { serverThreads: options.serverThreads ?? true });
    if (stores.partitions) await stores.partitions.ensureAhead(Date.now(), config.partitionsAhead);
    const services = createServices(stores, config, options.log);
    if (options.background && stores.deriver) {
      const background = options.background;
      stores.deriver.onError((error) => background.onError('session derivation', error));
      // Events stored while no server ran (hooks writing the file, a crash before a pass)
      // are derived before the first request.
      await stores.deriver.catchUp();
    }
    const maintenance = services.sessionMaintenance;
    if (options.background && maintenance && maintenance.staleAfterMs > 0) {
      const background = options.background;
      const sweeper = startStaleSweeper(maintenance, {
        intervalMs: config.sessions.sweepIntervalMs,
        onError: (error) => background.onError('stale session sweep', error),
        onSwept: background.onStaleSessions,
      });
      const close = services.close;
      // Stopped before the storage closes, so no sweep runs against a closed pool.
      services.close = async () => {
        await sweeper.stop();
        await close();
      };
    }
    const rules = services.rules;
    if (options.background && rules) {
      const background = options.background;
      const loop = rules.startLoop({ intervalMs: config.rulesIntervalMs, onError: (error) => background.onError('team rules', error) });
      const close = services.close;
      // A pass under way commits (or not) before the storage closes; the rest waits durably for the next start.
      services.close = async () => {
        await loop.stop();
        await close();
      };
    }
    const jobs = services.performance ? performanceJobs(services.performance, config.performance) : [];
    if (options.background && stores.jobs && jobs.length > 0) {
      const background = options.background;
      const scheduler = startJobScheduler(stores.jobs, jobs, {
        onError: (name, error) => background.onError(`scheduled job ${name}`, error),
        onRun: background.onJobRun,
      });
      const close = services.close;
      // Runs under way finish before the storage closes.
      services.close = async () => {
        await scheduler.stop();
        await close();
      };
    }
    return { db, services };
  } catch (error) {
    await db?.close();
    throw error;
  }
}
