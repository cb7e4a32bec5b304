import type { Config } from '../core/config.ts';
import { ConfigError } from '../core/app-error.ts';
import type { Database } from './database.ts';
import { openPostgres } from './postgres-connection.ts';
import { openSqlite } from './sqlite-connection.ts';

export function openDatabase(config: Config, applicationName = 'hookd'): Database {
  switch (config.storage) {
    case 'sqlite':
      return openSqlite({ path: config.sqlitePath, sync: config.sqliteSync });
    case 'postgres':
      if (!config.postgresUrl) throw new ConfigError('postgres storage needs DATABASE_URL');
      return openPostgres({
        url: config.postgresUrl,
        schema: config.pgSchema,
        poolMin: config.pgPoolMin,
        poolMax: config.pgPoolMax,
        applicationName,
      });
    case 'jsonl':
      throw new ConfigError('jsonl storage has no database');
  }
}
