import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { derivedCommits } from './derived-commits.ts';
import { openSqlite } from './sqlite-connection.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function open(sync: 'full' | 'normal') {
  const dir = mkdtempSync(join(tmpdir(), 'hookd-derived-'));
  dirs.push(dir);
  const db = openSqlite({ path: join(dir, 'd.db'), sync });
  db.sqlite.exec('CREATE TABLE t (v INTEGER)');
  return db.sqlite;
}

const level = (sqlite: ReturnType<typeof open>) => (sqlite.pragma('synchronous') as { synchronous: number }[])[0]!.synchronous;

it('commits derived rows without a sync on a FULL connection, and puts FULL back after, even when the transaction throws', () => {
  const sqlite = open('full');
  const derived = derivedCommits(sqlite);
  const insert = sqlite.transaction((v: number) => {
    sqlite.prepare('INSERT INTO t (v) VALUES (?)').run(v);
    return level(sqlite);
  });
  expect(derived(() => insert(1))).toBe(1);
  expect(level(sqlite)).toBe(2);
  expect(() =>
    derived(() => {
      throw new Error('pass failed');
    }),
  ).toThrow('pass failed');
  expect(level(sqlite)).toBe(2);
  expect(sqlite.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 });
});

it('leaves the level alone inside a transaction, where SQLite refuses to change it, and on a NORMAL connection', () => {
  const sqlite = open('full');
  const derived = derivedCommits(sqlite);
  const outer = sqlite.transaction(() => derived(() => level(sqlite)));
  expect(outer()).toBe(2);
  const normal = open('normal');
  expect(derivedCommits(normal)(() => level(normal))).toBe(1);
  expect(level(normal)).toBe(1);
});
