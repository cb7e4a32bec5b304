import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqliteDatabase } from './database.ts';
import { openBuiltinSqlite } from './sqlite-builtin.ts';
import { openSqlite } from './sqlite-connection.ts';

// The facade must behave as better-sqlite3 does wherever hookd relies on it: each case
// runs on both drivers and expects the same.
const DRIVERS = [
  ['better-sqlite3', openSqlite],
  ['node:sqlite', openBuiltinSqlite],
] as const;

describe.each(DRIVERS)('SqliteDriver on %s', (_name, open) => {
  let dir: string;
  let db: SqliteDatabase;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hookd-driver-'));
    db = open({ path: join(dir, 'x.db'), sync: 'full' });
    db.sqlite.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)');
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('binds @names from objects with more keys than used, and ? by position', () => {
    const insert = db.sqlite.prepare('INSERT INTO t (k, v) VALUES (@k, @v)');
    expect(insert.run({ k: 'a', v: 1, unused: 'x' }).changes).toBe(1);
    expect(db.sqlite.prepare('INSERT INTO t VALUES (?, ?) ON CONFLICT DO NOTHING').run('a', 2).changes).toBe(0);
    expect(db.sqlite.prepare('SELECT k, v FROM t WHERE k = ?').get('a')).toEqual({ k: 'a', v: 1 });
    expect(db.sqlite.prepare('SELECT v FROM t WHERE k = ?').get('missing')).toBeUndefined();
    expect(db.sqlite.prepare('SELECT v FROM t').pluck().get()).toBe(1);
    expect(db.sqlite.prepare('SELECT k FROM t').pluck().all()).toEqual(['a']);
  });

  it('commits a transaction, rolls it back on a throw, and rolls back only the inner one when nested', () => {
    const insert = db.sqlite.prepare('INSERT INTO t VALUES (?, ?)');
    const count = () => db.sqlite.prepare('SELECT count(*) FROM t').pluck().get();
    db.sqlite.transaction((k: string) => insert.run(k, 1)).immediate('a');
    expect(count()).toBe(1);
    const failing = db.sqlite.transaction(() => {
      insert.run('b', 1);
      throw new Error('boom');
    });
    expect(() => failing()).toThrow('boom');
    expect(count()).toBe(1);
    db.sqlite.transaction(() => {
      insert.run('c', 1);
      expect(() => failing()).toThrow('boom');
    })();
    expect(db.sqlite.prepare('SELECT k FROM t ORDER BY k').pluck().all()).toEqual(['a', 'c']);
    expect(db.sqlite.inTransaction).toBe(false);
  });

  it('reports a lock held by another connection as SQLITE_BUSY, after busy_timeout', () => {
    const other = open({ path: join(dir, 'x.db'), sync: 'full', busyTimeoutMs: 50 });
    try {
      db.sqlite.exec('BEGIN IMMEDIATE');
      const started = Date.now();
      let code: unknown;
      try {
        other.sqlite.exec('BEGIN IMMEDIATE');
      } catch (error) {
        code = (error as { code?: unknown }).code;
      }
      expect(code).toBe('SQLITE_BUSY');
      expect(Date.now() - started).toBeGreaterThanOrEqual(40);
      db.sqlite.exec('ROLLBACK');
    } finally {
      void other.close();
    }
  });

  it('sets the pragmas hookd depends on', () => {
    expect(db.sqlite.pragma('journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    expect(db.sqlite.pragma('synchronous')).toEqual([{ synchronous: 2 }]);
    expect(db.sqlite.pragma('busy_timeout')).toEqual([{ timeout: 5000 }]);
  });
});
