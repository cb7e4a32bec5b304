import type { Config } from '../config/config.ts';
import type { Database } from '../db/database.ts';
import { Migrator } from '../db/migrator.ts';
import { openDatabase } from '../db/open-database.ts';
import { createServices, type Services } from './services.ts';
import { createStores } from './stores.ts';

export interface RuntimeOptions {
  /** Apply pending migrations first (serve does; most CLI commands do too). */
  migrate?: boolean;
  applicationName?: string;
  /** See StoreOptions.serverThreads; on unless a command says otherwise. */
  serverThreads?: boolean;
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
    return { db, services: createServices(stores, config) };
  } catch (error) {
    await db?.close();
    throw error;
  }
}
