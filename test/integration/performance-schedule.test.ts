// The scheduled aggregation as `serve` runs it: two runtimes with background upkeep on one
// database (two hookd processes), the job running once per interval between them, and a
// late outcome reaching the hour its execution started in without anyone asking.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import { PERF_AGGREGATE_JOB } from '../../src/modules/performance/performance-jobs.ts';
import { openRuntime, type Runtime } from '../../src/runtime/runtime.ts';
import { execution, HOUR } from '../support/execution-fixtures.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/test-database.ts';

const INTERVAL_MS = 1000;

describeEachDialect('scheduled hook performance', (dialect) => {
  let database: TestDatabase;
  const runtimes: Runtime[] = [];
  const ran: string[] = [];
  const failed: unknown[] = [];
  const hour = Math.floor(Date.now() / HOUR) * HOUR;
  const late = execution({ hookId: 'scheduled', startedAt: hour - 3 * HOUR + 59 * 60_000, status: 'RUNNING' });
  let startedAt = 0;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    const config = loadConfig({
      HOOKD_HOME: '/nonexistent',
      HOOKD_DATABASE_URL: database.url,
      HOOKD_PERF_AGGREGATE_INTERVAL_MS: String(INTERVAL_MS),
    });
    const background = { onError: (_what: string, error: unknown) => failed.push(error), onJobRun: (name: string) => ran.push(name) };
    runtimes.push(await openRuntime(config, { background, serverThreads: false }));
    const executions = runtimes[0]!.services.stores.executions;
    await executions.insert(execution({ hookId: 'scheduled', startedAt: hour - 2 * HOUR, status: 'SUCCESS', executionTimeMs: 40 }));
    await executions.insert(late);
    runtimes.push(await openRuntime(config, { background, serverThreads: false }));
    startedAt = Date.now();
  });
  afterAll(async () => {
    for (const runtime of runtimes) await runtime.services.close();
    await database?.cleanup();
  });

  const rowsOf = async () => (await runtimes[1]!.services.performance.metrics({ hook_id: 'scheduled' })).items;
  async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (done(value) || Date.now() > deadline) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('fills the hourly rows by itself, one run per interval between two processes', async () => {
    const rows = await until(rowsOf, (r) => r.length === 1);
    expect(rows).toEqual([expect.objectContaining({ time_bucket: new Date(hour - 2 * HOUR).toISOString(), total_executions: 1 })]);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const job = (await runtimes[0]!.services.stores.jobs.get(PERF_AGGREGATE_JOB))!;
    // Each process asks every second; the claim lets one run per interval through.
    expect(job.runs).toBeGreaterThanOrEqual(2);
    expect(job.runs).toBeLessThanOrEqual(Math.ceil((Date.now() - startedAt) / INTERVAL_MS) + 1);
    // A run may be under way (claimed, not finished) as the row is read.
    const finished = ran.filter((name) => name === PERF_AGGREGATE_JOB).length;
    expect(job.runs - finished).toBeGreaterThanOrEqual(0);
    expect(job.runs - finished).toBeLessThanOrEqual(1);
    expect(failed).toEqual([]);
  });

  it('recomputes the hour an execution started in when its outcome comes hours later', async () => {
    await runtimes[1]!.services.executions.update(late.executionId, {
      status: 'FAILED',
      execution_time_ms: 2 * HOUR,
      errors: ['gave up'],
    });
    const rows = await until(rowsOf, (r) => r.length === 2);
    expect(rows.map((r) => [r.time_bucket, r.failed_executions, r.p95_execution_time_ms])).toEqual([
      [new Date(hour - 2 * HOUR).toISOString(), 0, 40],
      [new Date(hour - 3 * HOUR).toISOString(), 1, 2 * HOUR],
    ]);
    expect(failed).toEqual([]);
  });
});
