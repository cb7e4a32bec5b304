import type pg from 'pg';

/**
 * An open store. Stores pick their implementation from `kind`; nothing outside
 * src/db and the `*-store.*` files looks at it.
 */
export type Database = SqliteDatabase | PostgresDatabase;

export interface SqliteRunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

export interface SqliteStatement {
  run(...params: unknown[]): SqliteRunResult;
  /** The first row, or undefined. */
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  /** This statement, giving the first column's value instead of a row object. */
  pluck(): SqliteStatement;
}

/** `fn` run in a transaction (BEGIN), `.immediate` taking the write lock first. */
export interface SqliteTransaction<A extends unknown[], R> {
  (...args: A): R;
  immediate(...args: A): R;
}

/**
 * What hookd uses of a SQLite connection: the part of better-sqlite3's API (which the
 * server runs on) that the node:sqlite facade (sqlite-builtin.ts, for `hookd emit`) also
 * implements. Parameters bind as better-sqlite3 binds them: `?` by position, `@name`
 * from an object's keys.
 */
export interface SqliteDriver {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): void;
  transaction<A extends unknown[], R>(fn: (...args: A) => R): SqliteTransaction<A, R>;
  /** `PRAGMA source`; the rows it returns. */
  pragma(source: string): unknown;
  readonly open: boolean;
  readonly inTransaction: boolean;
  close(): void;
}

export interface SqliteDatabase {
  kind: 'sqlite';
  sqlite: SqliteDriver;
  path: string;
  close(): Promise<void>;
}

export interface PostgresDatabase {
  kind: 'postgres';
  pool: pg.Pool;
  schema: string;
  close(): Promise<void>;
}
