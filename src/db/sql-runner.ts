import type { PostgresDatabase, SqliteDatabase } from './database.ts';
import { POSTGRES_DIALECT, SQLITE_DIALECT, type Query, type SqlDialect } from './sql-dialect.ts';

export type SqlRow = Record<string, unknown>;

/**
 * Runs a Query written once for both dialects (`?` placeholders, times through the
 * dialect): a store of plain reads and writes holds its SQL once and takes a runner.
 * Flags come back as 0/1 on SQLite and booleans on PostgreSQL; `flag()` reads either.
 */
export interface SqlRunner {
  dialect: SqlDialect;
  all(query: Query): Promise<SqlRow[]>;
  /** Rows changed. */
  run(query: Query): Promise<number>;
}

export function sqliteRunner(db: SqliteDatabase): SqlRunner {
  return {
    dialect: SQLITE_DIALECT,
    async all(query) {
      return db.sqlite.prepare(query.text).all(...query.values.map(sqliteValue)) as SqlRow[];
    },
    async run(query) {
      return db.sqlite.prepare(query.text).run(...query.values.map(sqliteValue)).changes;
    },
  };
}

export function postgresRunner(db: PostgresDatabase): SqlRunner {
  const numbered = POSTGRES_DIALECT.placeholders;
  return {
    dialect: POSTGRES_DIALECT,
    async all(query) {
      return (await db.pool.query<SqlRow>(numbered(query.text), query.values)).rows;
    },
    async run(query) {
      return (await db.pool.query(numbered(query.text), query.values)).rowCount ?? 0;
    },
  };
}

/** better-sqlite3 binds no booleans: a flag goes in as 0/1. */
export const sqliteValue = (v: unknown) => (typeof v === 'boolean' ? (v ? 1 : 0) : v);

/** A flag column as read from either dialect. */
export const flag = (v: unknown): boolean => v === true || v === 1 || v === '1';
/** A number column as read from either dialect (PostgreSQL's int8 arrives as a string). */
export const num = (v: unknown): number => Number(v);
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
