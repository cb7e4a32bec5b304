import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { BIN_COUNT, binLower, binMiddle, BIN_UPPER } from '../../src/modules/derivation/duration-bins.ts';
import { expectExactAnalytics, rows, storedAnalytics, type Row } from '../support/analytics-tables.ts';
import { createTestApp, JSON_HEADERS, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/claude-code/session-fix-rounding.jsonl', import.meta.url));
const FIXTURE_SESSION = '7f3c2a9e-1b4d-4c8e-9a51-2d6f0e8b1c34';
const fixtureLines = () =>
  readFileSync(FIXTURE, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describeEachDialect('analytics', (dialect) => {
  let t: TestApp;
  let db: Database;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    db = t.runtime.db!;
  });
  afterAll(async () => t?.close());

  const get = async (url: string, status = 200) => {
    const res = await t.app.inject({ url });
    expect(res.statusCode, `${url}: ${res.body}`).toBe(status);
    return res.json();
  };
  const batch = async (events: unknown[]) => {
    const res = await t.app.inject({ method: 'POST', url: '/events/batch', headers: JSON_HEADERS, payload: JSON.stringify(events) });
    expect(res.statusCode, res.body).toBe(202);
    // The table checks read tool_uses and the rollups in separate statements: a background
    // pass committing between them (seen under load) would make them disagree for a moment.
    await t.runtime.services.stores.deriver.catchUp();
  };

  it('answers an empty database with empty figures, and unknown ids with 404', async () => {
    expect(await get('/analytics/sessions')).toEqual({ items: [], next_cursor: null });
    expect(await get('/analytics/tools')).toEqual({ items: [] });
    expect(await get('/analytics/workflows')).toEqual({ total_sessions: 0, items: [] });
    expect(await get('/analytics/workflows/recent?days=7')).toEqual({ days: 7, total_sessions: 0, items: [] });
    expect(await get('/analytics/agents')).toEqual({ items: [] });
    expect(await get('/analytics/quality')).toEqual({ session_scores: [], tool_durations: [] });
    expect((await get('/analytics/sessions/nope', 404)).error.code).toBe('session_not_found');
    expect((await get('/analytics/sessions/nope/score', 404)).error.code).toBe('session_not_found');
    expect((await get('/analytics/tools/Nope', 404)).error.code).toBe('tool_not_found');
    for (const view of [
      'session_intelligence_summary',
      'tool_success_rates',
      'workflow_pattern_distribution',
      'agent_usage_patterns',
      'quality_metrics_summary',
    ]) {
      expect(await rows(db, `SELECT * FROM ${view}`)).toEqual([]);
    }
  });

  it('refuses nonsense filters with a 400 naming the field', async () => {
    expect((await get('/analytics/tools?since=7x', 400)).error.message).toContain('since');
    expect((await get('/analytics/tools?since=7d&from=2026-01-01', 400)).error.details.problems[0].field).toBe('since');
    expect((await get('/analytics/tools?from=yesterday', 400)).error.details.problems[0].field).toBe('from');
    expect((await get('/analytics/sessions?cursor=abc', 400)).error.details.problems[0].field).toBe('cursor');
    expect((await get('/analytics/workflows/recent?days=0', 400)).error.message).toContain('days');
  });

  it('gives the recorded Claude Code session its exact counts, pattern and score', async () => {
    const base = Date.parse('2026-11-02T09:00:00Z');
    for (const [i, line] of fixtureLines().entries()) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/hooks/claude-code',
        payload: JSON.stringify(line),
        headers: { ...JSON_HEADERS, 'x-hookd-event-id': `fx-${i}`, 'x-hookd-timestamp': String(base + i * 1000) },
      });
      expect(res.statusCode).toBe(200);
    }
    const s = await get(`/analytics/sessions/${FIXTURE_SESSION}`);
    expect(s).toMatchObject({
      session_id: FIXTURE_SESSION,
      source: 'claude-code',
      project: 'billing',
      session_start: '2026-11-02T09:00:00.000Z',
      end_reason: 'prompt_input_exit',
      tool_calls: 7,
      successful_tools: 6,
      failed_tools: 1,
      success_rate_pct: 85.7,
      subagents_used: 1,
      explore_calls: 3,
      edit_calls: 1,
      test_runs: 2,
      delegate_calls: 1,
      research_calls: 0,
      workflow_pattern: 'edit-test loop',
    });
    expect(s.success_score).toBeGreaterThanOrEqual(0);
    expect(s.success_score).toBeLessThanOrEqual(100);
    // 70 x 6/7 for the calls, 20 for a normal end, 10 for getting work done (docs/data-model.md, Analytics).
    expect(s.success_score).toBe(90);
    expect(s.tools).toEqual(
      expect.arrayContaining([
        { tool_name: 'Bash', uses: 2, successful_uses: 1, failed_uses: 1, avg_duration_ms: 3005 },
        { tool_name: 'Grep', uses: 2, successful_uses: 2, failed_uses: 0, avg_duration_ms: 40 },
      ]),
    );
    expect(await get(`/analytics/sessions/${FIXTURE_SESSION}/score`)).toEqual({
      session_id: FIXTURE_SESSION,
      success_score: 90,
      workflow_pattern: 'edit-test loop',
      successful_tools: 6,
      failed_tools: 1,
      ended: true,
      end_reason: 'prompt_input_exit',
    });

    const tools = (await get('/analytics/tools')).items;
    expect(tools.reduce((n: number, x: { total_uses: number }) => n + x.total_uses, 0)).toBe(7);
    const bash = tools.find((x: { tool_name: string }) => x.tool_name === 'Bash');
    expect(bash).toMatchObject({ total_uses: 2, successful_uses: 1, failed_uses: 1, success_rate_pct: 50, avg_duration_ms: 3005 });
    expect(bash.most_common_error).toMatch(/^\S.*$/);
    expect(bash.p50_duration_ms).toBeGreaterThanOrEqual(2890 / 1.15);
    expect(bash.p50_duration_ms).toBeLessThanOrEqual(2890 * 1.15);

    expect((await get('/analytics/agents')).items).toEqual([
      expect.objectContaining({
        agent_type: 'Explore',
        invocations: 1,
        sessions: 1,
        successful_uses: 1,
        failed_uses: 0,
        success_rate_pct: 100,
        avg_duration_ms: 9400,
      }),
    ]);
    expect(await get('/analytics/workflows')).toEqual({
      total_sessions: 1,
      items: [{ workflow_pattern: 'edit-test loop', sessions: 1, share_pct: 100 }],
    });
    const quality = await get('/analytics/quality');
    expect(quality.session_scores).toEqual([{ source: 'claude-code', samples: 1, p50: 90, p90: 90, p95: 90, p99: 90 }]);
    expect(quality.tool_durations.find((d: { tool_name: string }) => d.tool_name === 'Read')).toEqual({
      tool_name: 'Read',
      samples: 1,
      p50_ms: 6,
      p90_ms: 6,
      p95_ms: 6,
      p99_ms: 6,
    });

    const grep = await get('/analytics/tools/Grep?from=2026-11-02T00:00:00Z&to=2026-11-03T00:00:00Z');
    expect(grep).toMatchObject({
      tool_name: 'Grep',
      total_uses: 2,
      successful_uses: 2,
      failed_uses: 0,
      daily: [{ day: '2026-11-02', total_uses: 2 }],
      previous: { total_uses: 0 },
    });
    await expectExactAnalytics(db);
  });

  it('agrees with its SQL views to the digit', async () => {
    const api = (await get('/analytics/tools')).items;
    const view = (await rows(db, 'SELECT * FROM tool_success_rates')).map((r) => ({
      tool_name: r.tool_name,
      total_uses: Number(r.total_uses),
      successful_uses: Number(r.successful_uses),
      failed_uses: Number(r.failed_uses),
      success_rate_pct: r.success_rate_pct === null ? null : Number(r.success_rate_pct),
      avg_duration_ms: r.avg_duration_ms === null ? null : Number(r.avg_duration_ms),
      p50_duration_ms: r.p50_duration_ms === null ? null : Number(r.p50_duration_ms),
      p95_duration_ms: r.p95_duration_ms === null ? null : Number(r.p95_duration_ms),
      most_common_error: r.most_common_error,
    }));
    expect(view.sort((a, b) => String(a.tool_name).localeCompare(String(b.tool_name)))).toEqual(
      [...api].sort((a: { tool_name: string }, b: { tool_name: string }) => a.tool_name.localeCompare(b.tool_name)),
    );
    const summary = (await rows(db, `SELECT session_id, workflow_pattern, success_score FROM session_intelligence_summary`)).map((r) => ({
      ...r,
      success_score: Number(r.success_score),
    }));
    const listed = (await get('/analytics/sessions')).items.map((s: Row) => ({
      session_id: s.session_id,
      workflow_pattern: s.workflow_pattern,
      success_score: s.success_score,
    }));
    expect(summary).toEqual(listed);
    const bins = await rows(db, 'SELECT bin, lower_ms, upper_ms, mid_ms FROM duration_bins ORDER BY bin');
    expect(bins.map((b) => [Number(b.bin), Number(b.lower_ms), b.upper_ms === null ? null : Number(b.upper_ms), Number(b.mid_ms)])).toEqual(
      Array.from({ length: BIN_COUNT }, (_, b) => [b, binLower(b), b === BIN_COUNT - 1 ? null : BIN_UPPER[b], binMiddle(b)]),
    );
  });

  it('stays exact under out-of-order, repeated and deleted sessions, and filters by source, project, team and time', async () => {
    const at = (h: number, s = 0) => new Date(Date.parse('2026-10-01T00:00:00Z') + h * 3_600_000 + s * 1000).toISOString();
    const call = (
      sid: string,
      id: string,
      tool: string,
      h: number,
      outcome: 'ok' | 'fail',
      extra: Record<string, unknown> = {},
      start = true,
    ) => [
      ...(start
        ? [
            {
              session_id: sid,
              event_type: 'tool_execution_started',
              timestamp: at(h),
              data: { tool_name: tool, tool_use_id: id, ...extra },
            },
          ]
        : []),
      {
        session_id: sid,
        event_type: outcome === 'ok' ? 'tool_execution_completed' : 'tool_execution_failed',
        timestamp: at(h, 3),
        data: { tool_name: tool, tool_use_id: id, ...(outcome === 'fail' ? { error: `Exit code 1\nline ${id}` } : {}), ...extra },
      },
    ];
    const started = (sid: string, source: string, project: string, team: string, h: number) => ({
      session_id: sid,
      event_type: 'session_started',
      source,
      team_id: team,
      timestamp: at(h),
      data: { cwd: `/w/${project}` },
    });
    await batch([
      started('a1', 'claude-code', 'alpha', 't1', 0),
      ...call('a1', 'u1', 'Bash', 0, 'fail', { tool_input: { command: 'pytest -q' } }),
      ...call('a1', 'u2', 'Read', 1, 'ok'),
    ]);
    await batch([
      started('b1', 'codex', 'beta', 't2', 5),
      ...call('b1', 'u1', 'Bash', 5, 'ok'),
      ...call('b1', 'u3', 'Task', 6, 'ok', { tool_input: { subagent_type: 'Plan' } }),
    ]);
    // Two subagent types failing alike in one pass: two rollup rows, but one error row (it has no subagent type).
    const sameError = { error: 'Agent crashed' };
    await batch([
      started('d1', 'codex', 'delta', 't2', 8),
      ...call('d1', 'v1', 'Task', 8, 'ok', { tool_input: { subagent_type: 'Explore' } }).map((e, i) =>
        i === 1 ? { ...e, event_type: 'tool_execution_failed', data: { ...e.data, ...sameError } } : e,
      ),
      ...call('d1', 'v2', 'Task', 8, 'ok', { tool_input: { subagent_type: 'Plan' } }).map((e, i) =>
        i === 1 ? { ...e, event_type: 'tool_execution_failed', data: { ...e.data, ...sameError } } : e,
      ),
    ]);
    // The outcome first, its start in a later batch; then the same call reported again.
    await batch(call('c1', 'x1', 'Edit', 30, 'ok', {}, false));
    await batch([
      { session_id: 'c1', event_type: 'tool_execution_started', timestamp: at(30), data: { tool_name: 'Edit', tool_use_id: 'x1' } },
    ]);
    await batch(call('c1', 'x1', 'Edit', 30, 'fail', {}, false));
    await expectExactAnalytics(db);

    const tool = async (q: string, name: string) =>
      (await get(`/analytics/tools?${q}`)).items.find((x: { tool_name: string }) => x.tool_name === name);
    expect(await tool('source=codex', 'Bash')).toMatchObject({ total_uses: 1, successful_uses: 1 });
    expect(await tool('project=alpha', 'Bash')).toMatchObject({ total_uses: 1, failed_uses: 1, most_common_error: 'Exit code 1' });
    expect(await tool('team=t2&source=codex', 'Bash')).toMatchObject({ total_uses: 1, successful_uses: 1 });
    expect(await tool('team=t2&source=claude-code', 'Bash')).toBeUndefined();
    expect(await tool(`from=${at(4)}&to=${at(7)}`, 'Bash')).toMatchObject({ total_uses: 1, successful_uses: 1 });
    // Across days: the whole day 1 from day rows, the hours around it from hour rows, nothing twice.
    const across = `from=${at(2)}&to=${at(60)}`;
    expect(await tool(across, 'Task')).toMatchObject({ total_uses: 3, failed_uses: 2, most_common_error: 'Agent crashed' });
    expect(await tool(across, 'Edit')).toMatchObject({ total_uses: 1, failed_uses: 1 });
    expect(await tool(across, 'Read')).toBeUndefined();
    expect(await tool(`from=${at(24)}&to=${at(48)}`, 'Edit')).toMatchObject({ total_uses: 1 });
    expect((await get(`/analytics/agents?project=beta`)).items).toEqual([
      expect.objectContaining({ agent_type: 'Plan', invocations: 1, sessions: 1 }),
    ]);
    expect((await get(`/analytics/agents?project=alpha`)).items).toEqual([]);
    expect((await get(`/analytics/sessions?project=alpha`)).items.map((s: Row) => s.session_id)).toEqual(['a1']);
    expect((await get(`/analytics/sessions?pattern=delegating`)).items.map((s: Row) => s.session_id)).toEqual(['d1', 'b1']);

    // Deleting a session takes its calls out of every figure; a rebuild gives them back as they were.
    const before = await storedAnalytics(db);
    expect((await t.app.inject({ method: 'DELETE', url: '/sessions/a1' })).statusCode).toBe(204);
    await expectExactAnalytics(db);
    expect(await tool('project=alpha', 'Bash')).toBeUndefined();
    const rebuilt = await t.runtime.services.sessionMaintenance.rebuild({ sessionId: 'b1' });
    expect(rebuilt.sessions).toBe(1);
    await expectExactAnalytics(db);
    expect((await storedAnalytics(db)).rollups.length).toBeLessThan(before.rollups.length);
  });

  it('pages the session summary by start time', async () => {
    const first = await get('/analytics/sessions?limit=2');
    expect(first.items).toHaveLength(2);
    expect(first.next_cursor).not.toBeNull();
    const rest = await get(`/analytics/sessions?limit=2&cursor=${first.next_cursor}`);
    const all = [...first.items, ...rest.items].map((s: Row) => s.session_start as string);
    expect(all).toEqual([...all].sort().reverse());
    expect(new Set([...first.items, ...rest.items].map((s: Row) => s.session_id)).size).toBe(first.items.length + rest.items.length);
  });
});
