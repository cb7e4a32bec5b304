import Database from 'better-sqlite3';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { runHookd, startHookd, stopAllHookd, type RunResult } from '../support/hookd-process.ts';
import { createTestDatabase, describeEachDialect, sqlitePath, type Dialect, type TestDatabase } from '../support/test-database.ts';

const MIGRATIONS_ROOT = fileURLToPath(new URL('../../migrations/', import.meta.url));

/** `0001_events` etc., from the files the built hookd reads too. */
function migrationNames(dialect: Dialect): string[] {
  return readdirSync(`${MIGRATIONS_ROOT}${dialect}`)
    .filter((f) => f.endsWith('.up.sql'))
    .map((f) => f.replace('.up.sql', ''))
    .sort();
}

/** Runs SQL straight on the database behind a test URL, past hookd. */
async function sql<T>(dialect: Dialect, url: string, text: string, params: unknown[] = []): Promise<T[]> {
  if (dialect === 'sqlite') {
    const db = new Database(sqlitePath(url));
    try {
      const statement = db.prepare(text);
      return (statement.reader ? statement.all(...params) : (statement.run(...params), [])) as T[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SET search_path TO hookd');
    let n = 0;
    return (
      await client.query(
        text.replaceAll('?', () => `$${++n}`),
        params,
      )
    ).rows as T[];
  } finally {
    await client.end();
  }
}

/** Each version's row count in the migrations table. */
async function recordedVersions(dialect: Dialect, url: string): Promise<{ version: number; n: number }[]> {
  const rows = await sql<{ version: number; n: number | string }>(
    dialect,
    url,
    'SELECT version, COUNT(*) AS n FROM schema_migrations GROUP BY version ORDER BY version',
  );
  return rows.map((r) => ({ version: Number(r.version), n: Number(r.n) }));
}

const describeRun = (r: RunResult) => `code=${r.code} signal=${r.signal}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

describeEachDialect('migrations under concurrency', (dialect) => {
  const names = migrationNames(dialect);
  const everyVersionOnce = names.map((_, i) => ({ version: i + 1, n: 1 }));
  const databases: TestDatabase[] = [];
  const freshDatabase = async () => {
    const db = await createTestDatabase(dialect);
    databases.push(db);
    return { db, env: { HOOKD_DATABASE_URL: db.url } };
  };
  afterEach(async () => {
    await stopAllHookd();
    await Promise.all(databases.splice(0).map((db) => db.cleanup()));
  });

  it('applies each migration exactly once when 6 `migrate up` race on a fresh database', async () => {
    const { db, env } = await freshDatabase();
    const runs = await Promise.all(Array.from({ length: 6 }, () => runHookd(['migrate', 'up'], env)));
    for (const run of runs) expect(run.code, describeRun(run)).toBe(0);
    // Exactly one process applied each version; the others found it done.
    const applied = runs.flatMap((r) => /^applied (.+)$/m.exec(r.stdout)?.[1]?.split(', ') ?? []).sort();
    expect(applied).toEqual(names.map((n) => n.slice(0, 4)));
    expect(runs.filter((r) => r.stdout.includes('already up to date'))).toHaveLength(5);
    expect(await recordedVersions(dialect, db.url)).toEqual(everyVersionOnce);

    const verify = await runHookd(['migrate', 'verify'], env);
    expect(verify.code, describeRun(verify)).toBe(0);
    expect(verify.stdout).toContain(`verified: ${names.length} migrations`);
    const status = await runHookd(['migrate', 'status'], env);
    expect(status.code, describeRun(status)).toBe(0);
    const lines = status.stdout.split('\n');
    expect(lines).toHaveLength(names.length);
    names.forEach((name, i) => expect(lines[i]).toMatch(new RegExp(`^${name.slice(0, 4)}\\s+${name.slice(5)}\\s+applied\\s+\\d{4}-`)));
  });

  it('starts 4 `serve` at once on a fresh database, each migrated and serving', async () => {
    const { db, env } = await freshDatabase();
    const started = await Promise.allSettled(Array.from({ length: 4 }, () => startHookd({ env })));
    const failures = started.filter((s) => s.status === 'rejected').map((s) => String(s.reason));
    expect(failures).toEqual([]);
    const servers = started.map((s) => (s as PromiseFulfilledResult<Awaited<ReturnType<typeof startHookd>>>).value);
    expect(await recordedVersions(dialect, db.url)).toEqual(everyVersionOnce);
    for (const [i, server] of servers.entries()) {
      const reply = await fetch(`${server.url}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ event_type: 'boot', session_id: 'serve-race', event_id: `s${i}` }),
      });
      expect(reply.status).toBe(202);
    }
    const list = await fetch(`${servers[0]!.url}/events?session_id=serve-race`);
    expect(((await list.json()) as { items: unknown[] }).items).toHaveLength(4);
    expect((await runHookd(['migrate', 'verify'], env)).code).toBe(0);
  });

  it('reverts and reapplies the newest migration, and verify names a tampered one', async () => {
    const { db, env } = await freshDatabase();
    expect((await runHookd(['migrate', 'up'], env)).code).toBe(0);
    const newest = names.at(-1)!;

    const down = await runHookd(['migrate', 'down'], env);
    expect(down.code, describeRun(down)).toBe(0);
    expect(down.stdout).toContain(`reverted ${newest.slice(0, 4)}`);
    expect((await recordedVersions(dialect, db.url)).map((r) => r.version)).toEqual(everyVersionOnce.slice(0, -1).map((r) => r.version));
    const pending = await runHookd(['migrate', 'status'], env);
    expect(pending.stdout.split('\n').at(-1)).toMatch(new RegExp(`^${newest.slice(0, 4)}\\s+${newest.slice(5)}\\s+pending`));

    const up = await runHookd(['migrate', 'up'], env);
    expect(up.code, describeRun(up)).toBe(0);
    expect(up.stdout).toContain(`applied ${newest.slice(0, 4)}`);
    expect(await recordedVersions(dialect, db.url)).toEqual(everyVersionOnce);
    expect((await runHookd(['migrate', 'verify'], env)).code).toBe(0);

    await sql(dialect, db.url, "UPDATE schema_migrations SET checksum = 'tampered' WHERE version = ?", [1]);
    const verify = await runHookd(['migrate', 'verify'], env);
    expect(verify.code, describeRun(verify)).toBe(1);
    expect(verify.stderr).toContain(names[0]);
    expect(verify.stderr).toContain('checksum');
    const status = await runHookd(['migrate', 'status'], env);
    expect(status.stdout.split('\n')[0]).toMatch(/\bchanged\b/);
  });
});
