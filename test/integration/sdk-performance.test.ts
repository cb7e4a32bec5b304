import { afterAll, beforeAll, expect, it } from 'vitest';
import { HookdClient } from '../../src/sdk/hookd-client.ts';
import { execution, HOUR } from '../support/execution-fixtures.ts';
import { createTestApp, listen, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

describeEachDialect('SDK hook performance', (dialect) => {
  let t: TestApp;
  let client: HookdClient;
  const now = Date.now();
  const hour = Math.floor(now / HOUR) * HOUR;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    client = new HookdClient({ baseUrl: await listen(t) });
    for (let i = 0; i < 5; i++) {
      await t.runtime.services.stores.executions.insert(
        execution({
          hookId: 'sdk_perf',
          teamId: 'engineering',
          startedAt: hour - (i + 1) * HOUR + 1000,
          status: i === 4 ? 'FAILED' : 'SUCCESS',
          executionTimeMs: 100 * (i + 1),
        }),
      );
    }
    await t.runtime.services.stores.executions.insert(
      execution({ hookId: 'sdk_perf', startedAt: now - 40 * 24 * HOUR, status: 'SUCCESS', executionTimeMs: 1 }),
    );
  });
  afterAll(async () => t?.close());

  const inject = async (method: 'GET' | 'POST', url: string) => (await t.app.inject({ method, url })).json();

  it('reads statistics and a summary as the routes answer them', async () => {
    const summary = await client.performanceSummary({ hook_id: 'sdk_perf', from: String(hour - 6 * HOUR), to: String(hour) });
    expect(summary).toEqual(await inject('GET', `/performance/summary?hook_id=sdk_perf&from=${hour - 6 * HOUR}&to=${hour}`));
    expect(summary).toMatchObject({
      total_executions: 5,
      successful_executions: 4,
      failed_executions: 1,
      success_rate: 0.8,
      avg_execution_time_ms: 300,
      p95_execution_time_ms: 500,
    });
    const stats = await client.executionStatistics({ team_id: 'engineering', hours: 12 });
    expect(stats).toMatchObject({ team_id: 'engineering', hours: 12, total_executions: 5, by_status: { SUCCESS: 4, FAILED: 1 } });
    const refused = await client.executionStatistics({ hours: 0 }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 400, code: 'validation_failed' });
  });

  it('recomputes and pages the hourly rows, and cleans up old executions', async () => {
    const result = await client.aggregatePerformance({ from: new Date(hour - 6 * HOUR).toISOString(), to: hour });
    expect(result).toMatchObject({ buckets_written: 5, buckets_removed: 0 });
    expect(await client.aggregatePerformance({ from: new Date(hour - 6 * HOUR).toISOString(), to: hour })).toEqual(result);
    const first = await client.performanceMetrics({ hook_id: 'sdk_perf', limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.next_cursor).not.toBeNull();
    const seen = [];
    for await (const row of client.allPerformanceMetrics({ hook_id: 'sdk_perf', limit: 2 })) seen.push(row);
    expect(seen.map((r) => r.time_bucket)).toEqual([1, 2, 3, 4, 5].map((i) => new Date(hour - i * HOUR).toISOString()));
    expect(seen.map((r) => r.p95_execution_time_ms)).toEqual([100, 200, 300, 400, 500]);
    const reversed = await client.aggregatePerformance({ from: hour, to: hour - HOUR }).catch((e: unknown) => e);
    expect(reversed).toMatchObject({ status: 400, code: 'validation_failed' });

    expect(await client.cleanupExecutions(30)).toMatchObject({ days: 30, deleted_count: 1 });
    expect(await client.cleanupExecutions()).toMatchObject({ days: 90, deleted_count: 0 });
  });
});
