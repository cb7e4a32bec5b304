import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { expect, inject, it } from 'vitest';
import { createTestDatabase, describeEachDialect, sqlitePath, type Dialect } from './test-database.ts';

async function roundTrip(dialect: Dialect, url: string): Promise<string> {
  if (dialect === 'sqlite') {
    const db = new Database(sqlitePath(url));
    try {
      db.exec('CREATE TABLE probe (id INTEGER PRIMARY KEY, value TEXT NOT NULL)');
      db.prepare('INSERT INTO probe (value) VALUES (?)').run('hello');
      return (db.prepare('SELECT value FROM probe').get() as { value: string }).value;
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE TABLE probe (id SERIAL PRIMARY KEY, value TEXT NOT NULL)');
    await client.query('INSERT INTO probe (value) VALUES ($1)', ['hello']);
    const { rows } = await client.query<{ value: string }>('SELECT value FROM probe');
    return rows[0]!.value;
  } finally {
    await client.end();
  }
}

async function databaseExists(dialect: Dialect, url: string): Promise<boolean> {
  if (dialect === 'sqlite') return existsSync(sqlitePath(url));
  const admin = new pg.Client({ connectionString: inject('pgAdminUrl')! });
  await admin.connect();
  try {
    const name = new URL(url).pathname.slice(1);
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return rowCount === 1;
  } finally {
    await admin.end();
  }
}

describeEachDialect('createTestDatabase', (dialect) => {
  it('gives a working database that cleanup removes', async () => {
    const db = await createTestDatabase(dialect);
    try {
      expect(await roundTrip(dialect, db.url)).toBe('hello');
      expect(await databaseExists(dialect, db.url)).toBe(true);
    } finally {
      await db.cleanup();
    }
    expect(await databaseExists(dialect, db.url)).toBe(false);
  });

  it('hands out isolated databases', async () => {
    const [a, b] = await Promise.all([createTestDatabase(dialect), createTestDatabase(dialect)]);
    try {
      expect(a.url).not.toBe(b.url);
      expect(await roundTrip(dialect, a.url)).toBe('hello');
      // Would fail with "table already exists" if both URLs pointed at one database.
      expect(await roundTrip(dialect, b.url)).toBe('hello');
    } finally {
      await Promise.all([a.cleanup(), b.cleanup()]);
    }
  });
});
