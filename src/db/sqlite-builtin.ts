import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { SqliteDatabase, SqliteDriver, SqliteRunResult, SqliteStatement, SqliteTransaction } from './database.ts';
import { prepareSqlitePath, setUpSqlite, type SqliteOptions } from './sqlite-setup.ts';

/**
 * A SQLite file on Node's built-in node:sqlite, for `hookd emit`, which opens the file for
 * one event per process: loading better-sqlite3 (its JavaScript and its native addon)
 * weighs on a hook's start-up, where node:sqlite is part of Node already. The facade gives it
 * better-sqlite3's behaviour where hookd relies on it: named parameters from objects
 * that may carry more keys than the statement uses, transactions that roll back on a
 * throw (savepoints when nested), and SQLITE_BUSY / SQLITE_LOCKED as error codes.
 */
export function openBuiltinSqlite(options: SqliteOptions): SqliteDatabase {
  prepareSqlitePath(options);
  const { DatabaseSync } = process.getBuiltinModule('node:sqlite');
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(options.path, { readOnly: options.readonly ?? false });
  } catch (error) {
    throw withSqliteCode(error);
  }
  return setUpSqlite(new BuiltinDriver(db), options);
}

class BuiltinDriver implements SqliteDriver {
  private readonly db: DatabaseSync;
  private savepoints = 0;

  constructor(db: DatabaseSync) {
    this.db = db;
  }

  get open(): boolean {
    return this.db.isOpen;
  }

  get inTransaction(): boolean {
    return this.db.isTransaction;
  }

  prepare(sql: string): SqliteStatement {
    return new BuiltinStatement(guard(() => this.db.prepare(sql)));
  }

  exec(sql: string): void {
    guard(() => this.db.exec(sql));
  }

  pragma(source: string): unknown {
    return guard(() => this.db.prepare(`PRAGMA ${source}`).all());
  }

  transaction<A extends unknown[], R>(fn: (...args: A) => R): SqliteTransaction<A, R> {
    const run =
      (begin: string) =>
      (...args: A): R => {
        if (this.db.isTransaction) return this.nested(fn, args);
        this.exec(begin);
        try {
          const result = fn(...args);
          this.exec('COMMIT');
          return result;
        } catch (error) {
          // SQLite may have rolled back already (a failed COMMIT under SQLITE_BUSY does not).
          if (this.db.isTransaction) this.exec('ROLLBACK');
          throw error;
        }
      };
    return Object.assign(run('BEGIN'), { immediate: run('BEGIN IMMEDIATE') });
  }

  close(): void {
    this.db.close();
  }

  private nested<A extends unknown[], R>(fn: (...args: A) => R, args: A): R {
    const name = `hookd_${++this.savepoints}`;
    this.exec(`SAVEPOINT ${name}`);
    try {
      const result = fn(...args);
      this.exec(`RELEASE ${name}`);
      return result;
    } catch (error) {
      this.exec(`ROLLBACK TO ${name}`);
      this.exec(`RELEASE ${name}`);
      throw error;
    } finally {
      this.savepoints--;
    }
  }
}

type Bindable = Parameters<StatementSync['run']>;

class BuiltinStatement implements SqliteStatement {
  private readonly statement: StatementSync;
  private plucked = false;

  constructor(statement: StatementSync) {
    this.statement = statement;
    // better-sqlite3 ignores keys a statement does not use; hookd passes whole rows.
    statement.setAllowUnknownNamedParameters(true);
  }

  run(...params: unknown[]): SqliteRunResult {
    return guard(() => this.statement.run(...(params as Bindable))) as SqliteRunResult;
  }

  get(...params: unknown[]): unknown {
    const row: unknown = guard(() => this.statement.get(...(params as Bindable)));
    return this.plucked && row !== undefined ? (row as unknown[])[0] : row;
  }

  all(...params: unknown[]): unknown[] {
    const rows = guard(() => this.statement.all(...(params as Bindable)));
    return this.plucked ? rows.map((row) => (row as unknown as unknown[])[0]) : rows;
  }

  pluck(): SqliteStatement {
    this.statement.setReturnArrays(true);
    this.plucked = true;
    return this;
  }
}

function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw withSqliteCode(error);
  }
}

// Primary result codes (the low byte of node:sqlite's extended `errcode`) that callers
// tell apart, named as better-sqlite3 names them.
const CODES: Record<number, string> = { 5: 'SQLITE_BUSY', 6: 'SQLITE_LOCKED', 19: 'SQLITE_CONSTRAINT' };

function withSqliteCode(error: unknown): unknown {
  const e = error as { code?: unknown; errcode?: unknown } | null;
  if (e && e.code === 'ERR_SQLITE_ERROR' && typeof e.errcode === 'number') {
    const code = CODES[e.errcode & 0xff];
    if (code) Object.defineProperty(e, 'code', { value: code, enumerable: true, configurable: true, writable: true });
  }
  return error;
}
