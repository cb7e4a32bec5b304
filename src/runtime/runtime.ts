import { currentModelPrices } from '../modules/cost/price-overrides.ts';
import type { Config } from '../core/config.ts';
import { NotImplementedForStorageError } from '../core/app-error.ts';
import type { Database } from '../db/database.ts';
import type { ServiceLog } from '../core/audit-log.ts';
import { Migrator } from '../db/migrator.ts';
import { openDatabase } from '../db/open-database.ts';
import { startTasks } from './background-task.ts';
import { backgroundTasks, type BackgroundHooks } from './background-tasks.ts';
import { createJsonlServices, createServices, type JsonlServices, type Services } from './services.ts';
import { createJsonlStores, createStores } from './stores.ts';

export interface RuntimeOptions {
  /** Apply pending migrations first (serve does; most CLI commands do too). */
  migrate?: boolean;
  applicationName?: string;
  /** See StoreOptions.serverThreads; on unless a command says otherwise. */
  serverThreads?: boolean;
  /**
   * Long-running processes (serve) pass this to run the loops of background-tasks.ts: the
   * derivation's catch-up, partition upkeep, the stale-session sweep, the team rules and
   * the scheduled jobs. One-shot commands leave it out and start no timers.
   */
  background?: BackgroundOptions;
  /** Where services write their warnings and `audit` lines; nowhere when absent. */
  log?: ServiceLog;
}

export interface BackgroundOptions extends BackgroundHooks {
  onError(what: string, error: unknown): void;
}

/** SQLite or PostgreSQL: every service. */
export interface Runtime {
  db: Database;
  services: Services;
}

/** JSONL: ingest, health and metrics over an append-only file. */
export interface JsonlRuntime {
  db: null;
  services: JsonlServices;
}

/**
 * Opens the configured storage, which must be SQLite or PostgreSQL, and wires stores and
 * services: the composition root below HTTP. With JSONL storage it refuses, naming `what`
 * the caller needed, before opening anything.
 */
export async function openRuntime(config: Config, options: RuntimeOptions = {}, what = 'this command'): Promise<Runtime> {
  if (config.storage === 'jsonl') throw new NotImplementedForStorageError(config.storage, what);
  // The derivation prices tokens from the environment (its SQLite write thread shares it):
  // a malformed HOOKD_MODEL_PRICES fails here, at start, not in a derivation pass.
  currentModelPrices();
  const db = openDatabase(config, options.applicationName);
  try {
    if (options.migrate !== false) await new Migrator(db).up();
    const stores = createStores(db, config, { serverThreads: options.serverThreads ?? true });
    if (stores.dialect === 'postgres') await stores.partitions.ensureAhead(Date.now(), config.partitionsAhead);
    const services = createServices(stores, config, options.log);
    if (options.background) {
      const background = options.background;
      const tasks = await startTasks(backgroundTasks(services, config, background), (what, error) => background.onError(what, error));
      const close = services.close;
      // The loops stop before the write queue drains and the storage closes.
      services.close = async () => {
        await tasks.stop();
        await close();
      };
    }
    return { db, services };
  } catch (error) {
    await db.close();
    throw error;
  }
}

/** The runtime for any storage: JSONL too, for what serves on it (serve, import). */
export async function openAnyRuntime(config: Config, options: RuntimeOptions = {}): Promise<Runtime | JsonlRuntime> {
  if (config.storage !== 'jsonl') return openRuntime(config, options);
  return { db: null, services: createJsonlServices(createJsonlStores(config), config, options.log) };
}
