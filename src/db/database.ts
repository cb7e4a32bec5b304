import type BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';

/**
 * An open store. Stores pick their implementation from `kind`; nothing outside
 * src/db and the `*-store.*` files looks at it.
 */
export type Database = SqliteDatabase | PostgresDatabase;

export interface SqliteDatabase {
  kind: 'sqlite';
  sqlite: BetterSqlite3.Database;
  path: string;
  close(): Promise<void>;
}

export interface PostgresDatabase {
  kind: 'postgres';
  pool: pg.Pool;
  schema: string;
  close(): Promise<void>;
}
