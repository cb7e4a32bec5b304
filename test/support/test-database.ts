// Every test file gets its own database, so files can run in parallel workers
// against one shared cluster without seeing each other's rows.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, inject } from 'vitest';

export type Dialect = 'sqlite' | 'postgres';
export const DIALECTS: Dialect[] = ['sqlite', 'postgres'];

export interface TestDatabase {
  url: string;
  cleanup(): Promise<void>;
}

export function postgresSkipReason(): string | null {
  if (inject('pgAdminUrl')) return null;
  return inject('pgSkipReason') ?? 'no PostgreSQL admin URL was provided by the global setup';
}

async function withAdminClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const adminUrl = inject('pgAdminUrl');
  if (!adminUrl) throw new Error(`PostgreSQL is unavailable: ${postgresSkipReason()}`);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function createSqliteDatabase(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'hookd-sqlite-'));
  return {
    url: `sqlite:${join(dir, 'hookd.db')}`,
    async cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function createPostgresDatabase(): Promise<TestDatabase> {
  // Random hex keeps the name a valid unquoted identifier, so no escaping is needed.
  const name = `hookd_t_${randomBytes(8).toString('hex')}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(inject('pgAdminUrl')!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async cleanup() {
      // FORCE, because a test that failed mid-way may have left connections open.
      await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  return dialect === 'sqlite' ? createSqliteDatabase() : createPostgresDatabase();
}

/** Path of the database file behind a `sqlite:` URL from createTestDatabase. */
export function sqlitePath(url: string): string {
  return url.replace(/^sqlite:/, '');
}

let skipWarned = false;

export function describeEachDialect(name: string, fn: (dialect: Dialect) => void): void {
  for (const dialect of DIALECTS) {
    const reason = dialect === 'postgres' ? postgresSkipReason() : null;
    if (reason === null) {
      describe(`${name} [${dialect}]`, () => fn(dialect));
      continue;
    }
    if (!skipWarned) {
      skipWarned = true;
      console.warn(`PostgreSQL suites skipped: ${reason}`);
    }
    describe.skip(`${name} [${dialect}] (skipped: ${reason})`, () => fn(dialect));
  }
}
