// The performance and statistics routes on both dialects: figures against the rules
// computed in the test, bad input refused with the field named and nothing changed,
// admin scope and team-bound tokens.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Execution } from '../../src/modules/executions/execution.ts';
import { rows } from '../support/analytics-tables.ts';
import { execution, expectedFigures, HOUR } from '../support/execution-fixtures.ts';
import { createTestApp, JSON_HEADERS, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

describeEachDialect('performance routes', (dialect) => {
  let t: TestApp;
  const now = Date.now();
  // Relative to now: statistics look back from the present.
  const recent: Execution[] = [
    execution({ hookId: 'deploy', teamId: 'red', startedAt: now - 30 * 60_000, status: 'SUCCESS', executionTimeMs: 120 }),
    execution({ hookId: 'deploy', teamId: 'red', startedAt: now - 2 * HOUR, status: 'FAILED', executionTimeMs: 900 }),
    execution({ hookId: 'deploy', teamId: 'red', startedAt: now - 3 * HOUR, status: 'TIMEOUT', executionTimeMs: 5000 }),
    execution({ hookId: 'deploy', teamId: 'red', startedAt: now - 4 * HOUR, status: 'CANCELLED', executionTimeMs: 50 }),
    execution({ hookId: 'deploy', teamId: 'red', startedAt: now - 5 * HOUR, status: 'RUNNING' }),
    execution({ hookId: 'notify', teamId: 'blue', startedAt: now - 10 * 60_000, status: 'SUCCESS', executionTimeMs: 40 }),
    execution({ hookId: 'notify', teamId: 'blue', startedAt: now - 30 * HOUR, status: 'SUCCESS', executionTimeMs: 60 }),
    execution({ hookId: 'deploy', teamId: 'blue', startedAt: now - 40 * 24 * HOUR, status: 'FAILED', executionTimeMs: 70 }),
  ];
  beforeAll(async () => {
    t = await createTestApp(dialect);
    for (const e of recent) await t.runtime.services.stores.executions.insert(e);
  });
  afterAll(async () => t?.close());

  const send = async (method: 'GET' | 'POST', url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await t.app.inject({
      method,
      url,
      headers: { ...(body === undefined ? {} : JSON_HEADERS), ...headers },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return { status: res.statusCode, body: res.json() };
  };
  const ok = async (method: 'GET' | 'POST', url: string, body?: unknown) => {
    const res = await send(method, url, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const figuresOf = (list: Execution[]) => {
    const f = expectedFigures(list);
    return {
      total_executions: f.total,
      successful_executions: f.successful,
      failed_executions: f.failed,
      cancelled_executions: f.cancelled,
      running_executions: f.running,
      success_rate: f.total ? f.successful / f.total : null,
      p95_execution_time_ms: f.p95,
      // Averages are kept to 3 decimals.
      avg_execution_time_ms: f.avg === null ? null : Math.round(f.avg * 1000) / 1000,
    };
  };
  const within = (hours: number, team?: string) => recent.filter((e) => e.startedAt >= now - hours * HOUR && (!team || e.teamId === team));

  it('answers /executions/statistics from the executions, not as an execution id', async () => {
    const stats = await ok('GET', '/executions/statistics');
    expect(stats).toMatchObject({ team_id: null, hours: 24, ...figuresOf(within(24)) });
    expect(stats.by_status).toEqual({ RUNNING: 1, SUCCESS: 2, FAILED: 1, TIMEOUT: 1, CANCELLED: 1 });
    expect(Date.parse(stats.to) - Date.parse(stats.from)).toBe(24 * HOUR);
    expect(await ok('GET', '/executions/statistics?team_id=blue&hours=48')).toMatchObject({
      team_id: 'blue',
      hours: 48,
      ...figuresOf(within(48, 'blue')),
    });
    expect(await ok('GET', '/executions/statistics?team_id=nobody')).toMatchObject({
      total_executions: 0,
      success_rate: null,
      p95_execution_time_ms: null,
    });
    expect((await ok('GET', '/executions/statistics?hours=8760')).total_executions).toBe(7);
  });

  it('sums one hook over a range', async () => {
    const deploy = recent.filter((e) => e.hookId === 'deploy' && e.startedAt >= now - 24 * HOUR);
    const summary = await ok('GET', `/performance/summary?hook_id=deploy&from=${now - 24 * HOUR}&to=${now}`);
    expect(summary).toMatchObject({
      hook_id: 'deploy',
      team_id: null,
      ...figuresOf(deploy),
      throughput_per_hour: Math.round((4 / 24) * 1000) / 1000,
    });
    expect(summary.p95_execution_time_ms).toBe(5000);
  });

  it('recomputes rows as admin from the body or the query, and lists them', async () => {
    const query = await ok('POST', `/performance/aggregate?from=${now - 48 * HOUR}&to=${now}`);
    const body = await ok('POST', '/performance/aggregate', { from: new Date(now - 48 * HOUR).toISOString(), to: now });
    expect(body).toEqual(query);
    expect(query.buckets_written).toBe(6);
    const listed = await ok('GET', '/performance/metrics?hook_id=deploy');
    // Newest hour first: SUCCESS, FAILED, TIMEOUT, CANCELLED; the RUNNING one has no row.
    expect(listed.items.map((r: { failed_executions: number }) => r.failed_executions)).toEqual([0, 1, 1, 0]);
    expect(listed.next_cursor).toBeNull();
    // Default: the last 24 hours.
    expect(await ok('POST', '/performance/aggregate')).toMatchObject({ buckets_written: 5, buckets_removed: 0 });
  });

  it('refuses bad input with a 400 naming the field, changing nothing', async () => {
    const table = () => rows(t.runtime.db!, 'SELECT * FROM hook_performance_metrics ORDER BY hook_id, team_id, time_bucket');
    const count = async () => Number((await rows(t.runtime.db!, 'SELECT COUNT(*) AS n FROM hook_executions'))[0]!.n);
    const before = { rows: await table(), executions: await count() };
    const refused = async (method: 'GET' | 'POST', url: string, field: RegExp, body?: unknown) => {
      const res = await send(method, url, body);
      expect(res.status, `${url}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.message).toMatch(field);
    };
    await refused('GET', '/executions/statistics?hours=0', /hours/);
    await refused('GET', '/executions/statistics?hours=8761', /hours/);
    await refused('GET', '/executions/statistics?hours=1.5', /hours/);
    await refused('GET', '/executions/statistics?hours=lots', /hours/);
    await refused('GET', '/performance/summary', /hook_id/);
    await refused('GET', '/performance/summary?hook_id=deploy&from=2026-02-01&to=2026-01-01', /from/);
    await refused('GET', '/performance/summary?hook_id=deploy&from=2026-01-01&to=2026-01-01', /from/);
    await refused('GET', '/performance/summary?hook_id=deploy&from=yesterday', /from/);
    await refused('GET', '/performance/summary?hook_id=deploy&to=99999999999999999', /to/);
    await refused('GET', '/performance/metrics?from=2026-02-01&to=2026-01-01', /from/);
    await refused('GET', '/performance/metrics?limit=0', /limit/);
    await refused('GET', '/performance/metrics?cursor=bm9wZQ', /cursor/);
    await refused('POST', '/performance/aggregate?from=2026-02-01&to=2026-01-01', /from/);
    await refused('POST', '/performance/aggregate', /from/, { from: '2026-02-01', to: '2026-01-01' });
    await refused('POST', '/performance/aggregate', /to/, { to: 'soon' });
    await refused('POST', '/performance/aggregate', /body/, { hours: 3 });
    await refused('POST', '/performance/aggregate?from=2026-01-01', /from/, { to: '2026-02-01' });
    await refused('POST', '/executions/cleanup?days=0', /days/);
    await refused('POST', '/executions/cleanup?days=36501', /days/);
    await refused('POST', '/executions/cleanup?days=ninety', /days/);
    expect({ rows: await table(), executions: await count() }).toEqual(before);
  });

  it('reports executions of the last hour on /health', async () => {
    expect((await send('GET', '/health')).body).toMatchObject({ status: 'healthy', database_healthy: true, recent_executions_count: 2 });
  });

  // Last: once a token exists, every request needs one.
  it('keeps admin routes to admin tokens and team-bound tokens to their team', async () => {
    const tokens = t.runtime.services.tokens;
    const bearer = async (scopes: ('read' | 'admin')[], teamId?: string) => ({
      authorization: `Bearer ${(await tokens.create({ scopes, ...(teamId ? { teamId } : {}) })).token}`,
    });
    const reader = await bearer(['read']);
    const red = await bearer(['read'], 'red');
    const redAdmin = await bearer(['admin'], 'red');
    expect((await send('POST', '/performance/aggregate', {}, reader)).status).toBe(403);
    expect((await send('POST', '/executions/cleanup', undefined, reader)).status).toBe(403);
    expect((await send('GET', '/executions/statistics')).status).toBe(401);

    const mine = await send('GET', '/executions/statistics?hours=48', undefined, red);
    expect(mine.body).toMatchObject({ team_id: 'red', ...figuresOf(within(48, 'red')) });
    expect((await send('GET', '/executions/statistics?team_id=blue', undefined, red)).body).toMatchObject({
      team_id: 'blue',
      total_executions: 0,
      running_executions: 0,
    });
    expect((await send('GET', '/performance/summary?hook_id=notify', undefined, red)).body).toMatchObject({
      team_id: 'red',
      total_executions: 0,
    });
    const rowsSeen = (await send('GET', '/performance/metrics', undefined, red)).body.items.map((r: { team_id: string }) => r.team_id);
    expect(new Set(rowsSeen)).toEqual(new Set(['red']));
    expect((await send('GET', '/performance/metrics?team_id=blue', undefined, red)).body.items).toEqual([]);

    // A team-bound admin deletes only its team's executions: blue's 40-day-old one stays.
    const cleaned = await send('POST', '/executions/cleanup?days=1', undefined, redAdmin);
    expect(cleaned.status).toBe(200);
    expect(cleaned.body).toMatchObject({ days: 1, deleted_count: 0 });
    const admin = await bearer(['admin']);
    expect((await send('POST', '/executions/cleanup?days=30', undefined, admin)).body).toMatchObject({ days: 30, deleted_count: 1 });
  });
});
