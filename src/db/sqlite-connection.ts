import Sqlite from 'better-sqlite3';
import type { SqliteDatabase, SqliteDriver } from './database.ts';
import { prepareSqlitePath, setUpSqlite, type SqliteOptions } from './sqlite-setup.ts';

export type { SqliteOptions } from './sqlite-setup.ts';

/**
 * A SQLite file on better-sqlite3, the driver of the server and the CLI. Its API is the
 * one SqliteDriver describes, used as is: no wrapper on the ingest path.
 */
export function openSqlite(options: SqliteOptions): SqliteDatabase {
  prepareSqlitePath(options);
  const sqlite = new Sqlite(options.path, { readonly: options.readonly ?? false });
  return setUpSqlite(sqlite as unknown as SqliteDriver, options);
}
