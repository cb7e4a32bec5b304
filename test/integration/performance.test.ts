// Hourly performance rows against the counting rules computed in the test, on both
// dialects: figures, nearest-rank p95, idempotence, removal, late outcomes through the
// scheduled job, and retention.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Execution } from '../../src/modules/executions/execution.ts';
import { runJobIfDue } from '../../src/modules/performance/job-scheduler.ts';
import { PERF_AGGREGATE_JOB, performanceJobs } from '../../src/modules/performance/performance-jobs.ts';
import type { PerformanceService } from '../../src/modules/performance/performance-service.ts';
import type { PerformanceRowView } from '../../src/modules/performance/performance-views.ts';
import {
  byListOrder,
  execution,
  expectedFigures,
  expectedRows,
  generateExecutions,
  HOUR,
  type ExpectedRow,
} from '../support/execution-fixtures.ts';
import { rows } from '../support/analytics-tables.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

const START = Date.parse('2026-10-05T06:00:00Z');
const HOURS = 6;

describeEachDialect('hook performance rows', (dialect) => {
  let t: TestApp;
  let perf: PerformanceService;
  let generated: Execution[];
  const insert = async (list: readonly Execution[]) => {
    for (const e of list) await t.runtime.services.stores.executions.insert(e);
  };
  beforeAll(async () => {
    t = await createTestApp(dialect);
    perf = t.runtime.services.performance;
    generated = generateExecutions(600, START, HOURS);
    await insert(generated);
  });
  afterAll(async () => t?.close());

  /** Every row of the metrics list, page by page, without the row timestamps. */
  const listed = async (query: Record<string, string> = {}): Promise<ExpectedRow[]> => {
    const all: PerformanceRowView[] = [];
    let cursor: string | undefined;
    do {
      const page = await perf.metrics({ ...query, limit: 17, ...(cursor ? { cursor } : {}) });
      all.push(...page.items);
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    return all.map(({ created_at: _c, updated_at: _u, ...figures }) => figures);
  };
  const expectRows = (actual: ExpectedRow[], expected: ExpectedRow[]) => {
    expect(actual.length).toBe(expected.length);
    const sortedActual = byListOrder(actual);
    const sortedExpected = byListOrder(expected);
    sortedExpected.forEach((row, i) => {
      const got = sortedActual[i]!;
      expect({ ...got, avg_execution_time_ms: null }).toEqual({ ...row, avg_execution_time_ms: null });
      if (row.avg_execution_time_ms === null) expect(got.avg_execution_time_ms).toBeNull();
      else expect(got.avg_execution_time_ms).toBeCloseTo(row.avg_execution_time_ms, 3);
    });
  };
  const table = () => rows(t.runtime.db!, 'SELECT * FROM hook_performance_metrics ORDER BY hook_id, hook_type, team_id, time_bucket');

  it('computes every hourly row as the rules say, and a second run changes nothing', async () => {
    const result = await perf.aggregate({ from: START, to: START + HOURS * HOUR });
    const expected = expectedRows(generated);
    expect(result).toEqual({
      from: new Date(START).toISOString(),
      to: new Date(START + HOURS * HOUR).toISOString(),
      buckets_written: expected.length,
      buckets_removed: 0,
    });
    expectRows(await listed(), expected);
    // Every bucket holds repeated times and some without one: the rank rule is exercised.
    expect(expected.some((r) => r.p95_execution_time_ms !== null && r.total_executions >= 20)).toBe(true);

    const before = await table();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await perf.aggregate({ from: START, to: START + HOURS * HOUR })).toMatchObject({
      buckets_written: expected.length,
      buckets_removed: 0,
    });
    expect(await table()).toEqual(before);
  });

  it('filters and pages the rows, and recomputes every hour a range touches', async () => {
    const expected = expectedRows(generated);
    expectRows(
      await listed({ hook_id: 'h2' }),
      expected.filter((r) => r.hook_id === 'h2'),
    );
    expectRows(
      await listed({ team_id: 'support', hook_type: 'CommentHook' }),
      expected.filter((r) => r.team_id === 'support' && r.hook_type === 'CommentHook'),
    );
    const hour2 = new Date(START + 2 * HOUR).toISOString();
    expectRows(
      await listed({ from: hour2, to: new Date(START + 3 * HOUR).toISOString() }),
      expected.filter((r) => r.time_bucket === hour2),
    );

    // A range inside one hour recomputes that whole hour.
    const extra = execution({
      hookId: 'h1',
      teamId: 'engineering',
      startedAt: START + 2 * HOUR + 10,
      status: 'FAILED',
      executionTimeMs: 99_999,
    });
    await insert([extra]);
    generated.push(extra);
    expect(await perf.aggregate({ from: START + 2 * HOUR + 30 * 60_000, to: START + 2 * HOUR + 31 * 60_000 })).toMatchObject({
      from: hour2,
      to: new Date(START + 3 * HOUR).toISOString(),
    });
    expectRows(await listed(), expectedRows(generated));
  });

  it('removes the row of an hour whose counted executions are gone, and leaves RUNNING-only hours without one', async () => {
    const lone = execution({ hookId: 'lonely', startedAt: START + HOUR, status: 'SUCCESS', executionTimeMs: 5 });
    const running = execution({ hookId: 'lonely', startedAt: START + 2 * HOUR, status: 'RUNNING' });
    await insert([lone, running]);
    await perf.aggregate({ from: START, to: START + HOURS * HOUR });
    expect((await listed({ hook_id: 'lonely' })).map((r) => r.time_bucket)).toEqual([new Date(START + HOUR).toISOString()]);
    await deleteExecution(lone.executionId);
    expect(await perf.aggregate({ from: START, to: START + HOURS * HOUR })).toMatchObject({ buckets_removed: 1 });
    expect(await listed({ hook_id: 'lonely' })).toEqual([]);
  });

  it('recomputes the hour an execution started in when its outcome comes hours later, through the scheduled job', async () => {
    const jobs = performanceJobs(perf, { aggregateIntervalMs: 60_000, retentionDays: 0 });
    const job = jobs.find((j) => j.name === PERF_AGGREGATE_JOB)!;
    const late = execution({ hookId: 'late', startedAt: START + 4 * HOUR + 59 * 60_000, status: 'RUNNING' });
    await insert([late]);
    const t0 = Date.now();
    expect(await runJobIfDue(t.runtime.services.stores.jobs, job, 'test', t0)).toMatchObject({ ran: true });
    expect(await listed({ hook_id: 'late' })).toEqual([]);
    // Not due again within the interval: nothing runs.
    expect(await runJobIfDue(t.runtime.services.stores.jobs, job, 'test', t0 + 1000)).toEqual({ ran: false });

    // The outcome two hours after the start; the next run finds it by updated_at.
    await t.runtime.services.executions.update(late.executionId, {
      status: 'SUCCESS',
      completed_at: late.startedAt + 2 * HOUR,
      execution_time_ms: 7_200_000,
    });
    expect(await runJobIfDue(t.runtime.services.stores.jobs, job, 'test', t0 + 60_000)).toMatchObject({
      ran: true,
      result: expect.stringMatching(/^hours recomputed: 1,/),
    });
    expect(await listed({ hook_id: 'late' })).toEqual([
      expect.objectContaining({
        time_bucket: new Date(START + 4 * HOUR).toISOString(),
        total_executions: 1,
        successful_executions: 1,
        p95_execution_time_ms: 7_200_000,
      }),
    ]);
    const state = await t.runtime.services.stores.jobs.get(PERF_AGGREGATE_JOB);
    expect(state).toMatchObject({ watermark: t0 + 60_000, nextRunAt: t0 + 120_000, leaseOwner: null, runs: 2, lastError: null });
  });

  it('sums a hook over a range exactly from its executions', async () => {
    const from = START + HOUR;
    const to = START + 4 * HOUR + 30 * 60_000;
    const members = generated.filter((e) => e.hookId === 'h1' && e.startedAt >= from && e.startedAt < to);
    const f = expectedFigures(members);
    const summary = await perf.summary({ hook_id: 'h1', from: new Date(from).toISOString(), to: String(to) });
    expect(summary).toMatchObject({
      hook_id: 'h1',
      team_id: null,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      total_executions: f.total,
      successful_executions: f.successful,
      failed_executions: f.failed,
      cancelled_executions: f.cancelled,
      running_executions: f.running,
      success_rate: f.successful / f.total,
      p95_execution_time_ms: f.p95,
    });
    expect(summary.avg_execution_time_ms).toBeCloseTo(f.avg!, 3);
    expect(summary.throughput_per_hour).toBeCloseTo(f.total / 3.5, 3);
    expect(await perf.summary({ hook_id: 'nobody', from, to })).toMatchObject({
      total_executions: 0,
      success_rate: null,
      avg_execution_time_ms: null,
      p95_execution_time_ms: null,
    });
  });

  it('cleans up executions older than N days with the rows of the hours they leave', async () => {
    // Relative to now: these are the only executions older than a day.
    const now = Date.now();
    const old = [
      execution({ hookId: 'retained', startedAt: now - 3 * 24 * HOUR, status: 'SUCCESS', executionTimeMs: 1 }),
      execution({ hookId: 'retained', startedAt: now - 2 * 24 * HOUR, status: 'FAILED', executionTimeMs: 2 }),
    ];
    const fresh = execution({ hookId: 'retained', startedAt: now - HOUR, status: 'SUCCESS', executionTimeMs: 3 });
    await insert([...old, fresh]);
    await perf.aggregate({ from: now - 4 * 24 * HOUR, to: now });
    expect(await listed({ hook_id: 'retained' })).toHaveLength(3);
    const before = await countExecutions();
    const result = await perf.cleanup(1);
    // The generated executions of October 2026 lie in the future of this run's clock, or more than a day back: count only what went.
    expect(result.deleted_count).toBe(before - (await countExecutions()));
    expect(result.deleted_count).toBeGreaterThanOrEqual(2);
    expect(await listed({ hook_id: 'retained' })).toEqual([expect.objectContaining({ total_executions: 1, p95_execution_time_ms: 3 })]);
    expect(await perf.cleanup(1)).toMatchObject({ deleted_count: 0, buckets_removed: 0 });
  });

  async function deleteExecution(id: string): Promise<void> {
    const db = t.runtime.db!;
    if (db.kind === 'sqlite') db.sqlite.prepare('DELETE FROM hook_executions WHERE execution_id = ?').run(id);
    else await db.pool.query('DELETE FROM hook_executions WHERE execution_id = $1', [id]);
  }

  async function countExecutions(): Promise<number> {
    return Number((await rows(t.runtime.db!, 'SELECT COUNT(*) AS n FROM hook_executions'))[0]!.n);
  }
});
