import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../migrations');
const numbers = (dialect: string) =>
  readdirSync(join(ROOT, dialect))
    .filter((name) => name.endsWith('.up.sql'))
    .map((name) => name.slice(0, 4))
    .sort();

describe('migration numbers', () => {
  // One number is one change on both dialects: a change one dialect does not need gets an
  // empty migration there, so the numbers never drift apart.
  it('are the same on SQLite and PostgreSQL, without gaps, each with its down migration', () => {
    const sqlite = numbers('sqlite');
    expect(numbers('postgres')).toEqual(sqlite);
    expect(sqlite).toEqual(sqlite.map((_, i) => String(i + 1).padStart(4, '0')));
    for (const dialect of ['sqlite', 'postgres']) {
      const files = readdirSync(join(ROOT, dialect));
      for (const n of sqlite)
        expect(
          files.filter((f) => f.startsWith(`${n}_`) && f.endsWith('.down.sql')),
          `${dialect} ${n}`,
        ).toHaveLength(1);
    }
  });
});
