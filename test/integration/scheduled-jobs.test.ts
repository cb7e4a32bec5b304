// The scheduled_jobs claim on both dialects: one run per due time whoever asks, a lease
// that frees the job of a claimer that died, and a watermark kept with the job.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import type { Database } from '../../src/db/database.ts';
import { Migrator } from '../../src/db/migrator.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { JOB_LEASE_MS, runJobIfDue, type ScheduledJob } from '../../src/modules/performance/job-scheduler.ts';
import { createPostgresScheduledJobStore } from '../../src/modules/performance/scheduled-job-store-postgres.ts';
import { createSqliteScheduledJobStore } from '../../src/modules/performance/scheduled-job-store-sqlite.ts';
import type { ScheduledJobStore } from '../../src/modules/performance/scheduled-jobs.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/test-database.ts';

const storeOf = (db: Database): ScheduledJobStore =>
  db.kind === 'sqlite' ? createSqliteScheduledJobStore(db) : createPostgresScheduledJobStore(db);

describeEachDialect('scheduled jobs', (dialect) => {
  let database: TestDatabase;
  // Two connections (two pools on PostgreSQL), as two hookd processes would have.
  let dbs: Database[];
  let stores: ScheduledJobStore[];
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    const config = loadConfig({ HOOKD_HOME: '/nonexistent', HOOKD_DATABASE_URL: database.url });
    dbs = [openDatabase(config), openDatabase(config)];
    await new Migrator(dbs[0]!).up();
    stores = dbs.map(storeOf);
  });
  afterAll(async () => {
    for (const db of dbs ?? []) await db.close();
    await database?.cleanup();
  });

  const T = Date.parse('2026-11-01T12:00:00Z');

  it('gives a due run to exactly one of many claimers racing for it', async () => {
    await stores[0]!.ensure('race', T);
    await stores[1]!.ensure('race', T + 999);
    // Twenty claims at once, ten through each connection.
    const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => stores[i % 2]!.claim('race', `p${i}`, T + 10, 60_000)));
    const won = claims.filter((c) => c !== null);
    expect(won).toHaveLength(1);
    expect(won[0]).toMatchObject({ name: 'race', claimedAt: T + 10, watermark: null });
    expect((await stores[1]!.get('race'))!).toMatchObject({ nextRunAt: T, leaseOwner: won[0]!.owner, runs: 1 });
  });

  it('keeps the watermark with the job and hands it to the next run, on either connection', async () => {
    await stores[0]!.ensure('mark', T);
    const first = (await stores[0]!.claim('mark', 'a', T, 60_000))!;
    expect(
      await stores[0]!.complete(first, { nextRunAt: T + 1000, watermark: T - 5, finishedAt: T + 3, result: 'did it', error: null }),
    ).toBe(true);
    expect(await stores[1]!.claim('mark', 'b', T + 999, 60_000)).toBeNull();
    const second = (await stores[1]!.claim('mark', 'b', T + 1000, 60_000))!;
    expect(second.watermark).toBe(T - 5);
    expect(await stores[0]!.get('mark')).toMatchObject({ leaseOwner: 'b', lastResult: 'did it', lastFinishedAt: T + 3, runs: 2 });
  });

  it('frees the job of a claimer that never completes once its lease expires, and refuses that claimer a late completion', async () => {
    await stores[0]!.ensure('crash', T);
    const crashed = (await stores[0]!.claim('crash', 'dead', T, JOB_LEASE_MS))!;
    expect(await stores[1]!.claim('crash', 'alive', T + JOB_LEASE_MS - 1, JOB_LEASE_MS)).toBeNull();
    const taken = (await stores[1]!.claim('crash', 'alive', T + JOB_LEASE_MS, JOB_LEASE_MS))!;
    expect(taken).not.toBeNull();
    expect(await stores[0]!.complete(crashed, { nextRunAt: T, watermark: 1, finishedAt: T, result: 'late', error: null })).toBe(false);
    expect(
      await stores[1]!.complete(taken, {
        nextRunAt: T + 2 * JOB_LEASE_MS,
        watermark: 2,
        finishedAt: T + JOB_LEASE_MS,
        result: 'ok',
        error: null,
      }),
    ).toBe(true);
    expect(await stores[0]!.get('crash')).toMatchObject({ watermark: 2, lastResult: 'ok', leaseOwner: null, leaseExpiresAt: null });
  });

  it('runs a job once per interval across processes; a failed run keeps the watermark and says why', async () => {
    let runs = 0;
    let fail = false;
    const job: ScheduledJob = {
      name: 'counted',
      intervalMs: 60_000,
      async run(claim) {
        runs++;
        if (fail) throw Object.assign(new Error('no'), { code: 'ECONNRESET' });
        return { watermark: claim.claimedAt, result: `run ${runs}` };
      },
    };
    const outcomes = await Promise.all([runJobIfDue(stores[0]!, job, 'a', T), runJobIfDue(stores[1]!, job, 'b', T)]);
    expect(outcomes.filter((o) => o.ran)).toHaveLength(1);
    expect(runs).toBe(1);
    expect(await runJobIfDue(stores[1]!, job, 'b', T + 59_999)).toEqual({ ran: false });
    fail = true;
    const failed = await runJobIfDue(stores[1]!, job, 'b', T + 60_000);
    expect(failed).toMatchObject({ ran: true, error: expect.any(Error) });
    expect(await stores[0]!.get('counted')).toMatchObject({
      watermark: T,
      lastError: 'failed: ECONNRESET',
      nextRunAt: T + 120_000,
      leaseOwner: null,
    });
  });
});
