import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HookdClient, type ToolPerformance } from '../../src/sdk/hookd-client.ts';
import { rejection } from '../support/sdk-rejection.ts';
import { createTestApp, JSON_HEADERS, listen, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

const HOUR = 3_600_000;
// Ids and names that need encoding in a path: a space and a slash.
const ALPHA = 'sdk alpha/1';
const MCP_TOOL = 'mcp__docs/search page';
const SESSIONS = [ALPHA, 'sdk-beta', 'sdk-gamma', 'sdk-delta'];

describeEachDialect('SDK', (dialect) => {
  let t: TestApp;
  let baseUrl: string;
  let client: HookdClient;
  // Whole hours a little in the past: inside every default period (the last 7 days).
  const base = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
  const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();

  const inject = async (url: string) => {
    const res = await t.app.inject({ url });
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    return res.json();
  };
  const started = (sid: string, source: string, project: string, minute: number) => ({
    session_id: sid,
    event_type: 'session_started',
    source,
    team_id: 'red',
    timestamp: at(minute),
    data: { cwd: `/w/${project}` },
  });
  const call = (sid: string, id: string, tool: string, minute: number, ok: boolean, input: Record<string, unknown> = {}) => [
    {
      session_id: sid,
      event_type: 'tool_execution_started',
      timestamp: at(minute),
      data: { tool_name: tool, tool_use_id: id, tool_input: input },
    },
    {
      session_id: sid,
      event_type: ok ? 'tool_execution_completed' : 'tool_execution_failed',
      timestamp: at(minute + 1),
      data: { tool_name: tool, tool_use_id: id, ...(ok ? {} : { error: `Exit code 1\n${id}` }) },
    },
  ];

  beforeAll(async () => {
    t = await createTestApp(dialect);
    baseUrl = await listen(t);
    client = new HookdClient({ baseUrl });
    const events = [
      started(ALPHA, 'claude-code', 'alpha', 0),
      ...call(ALPHA, 'a1', 'Read', 1, true),
      ...call(ALPHA, 'a2', 'Edit', 3, true),
      ...call(ALPHA, 'a3', 'Bash', 5, false, { command: 'npm test' }),
      ...call(ALPHA, 'a4', 'Bash', 7, true, { command: 'npm test' }),
      { session_id: ALPHA, event_type: 'session_ended', timestamp: at(9), data: { reason: 'prompt_input_exit' } },
      started('sdk-beta', 'codex', 'beta', 20),
      ...call('sdk-beta', 'b1', 'Task', 21, true, { subagent_type: 'Explore' }),
      ...call('sdk-beta', 'b2', MCP_TOOL, 23, true),
      started('sdk-gamma', 'claude-code', 'alpha', 40),
      ...call('sdk-gamma', 'g1', 'Grep', 41, true),
      ...call('sdk-gamma', 'g2', 'Read', 43, false),
      started('sdk-delta', 'claude-code', 'beta', 60),
    ];
    const res = await t.app.inject({ method: 'POST', url: '/events/batch', headers: JSON_HEADERS, payload: JSON.stringify(events) });
    expect(res.statusCode, res.body).toBe(202);
  });
  afterAll(async () => t?.close());

  it('answers each view as its route does', async () => {
    const all = await client.sessionIntelligence();
    expect(all).toEqual(await inject('/analytics/sessions'));
    expect(all.items.map((s) => s.session_id).sort()).toEqual([...SESSIONS].sort());
    expect(await client.sessionIntelligence({ project: 'alpha', pattern: 'edit-test loop', limit: 10 })).toEqual(
      await inject('/analytics/sessions?project=alpha&pattern=edit-test+loop&limit=10'),
    );
    const tools = await client.toolSuccessRates();
    expect(tools).toEqual(await inject('/analytics/tools'));
    expect(tools.items.find((x) => x.tool_name === 'Bash')).toMatchObject({ total_uses: 2, successful_uses: 1, failed_uses: 1 });
    expect(await client.toolSuccessRates({ source: 'codex', since: '1d' })).toEqual(await inject('/analytics/tools?source=codex&since=1d'));
    expect(await client.workflowPatternDistribution()).toEqual(await inject('/analytics/workflows'));
    expect(await client.workflowPatternDistribution({ team: 'red', project: 'beta' })).toEqual(
      await inject('/analytics/workflows?team=red&project=beta'),
    );
    const agents = await client.agentUsagePatterns();
    expect(agents).toEqual(await inject('/analytics/agents'));
    expect(agents.items).toEqual([expect.objectContaining({ agent_type: 'Explore', invocations: 1, sessions: 1 })]);
    expect(await client.qualityMetrics()).toEqual(await inject('/analytics/quality'));
    expect(await client.qualityMetrics({ from: at(-60), to: at(30) })).toEqual(
      await inject(`/analytics/quality?from=${encodeURIComponent(at(-60))}&to=${encodeURIComponent(at(30))}`),
    );
  });

  it('answers the four functions as their routes do, with ids and names encoded', async () => {
    const path = encodeURIComponent(ALPHA);
    const stats = await client.getSessionStats(ALPHA);
    expect(stats).toEqual(await inject(`/analytics/sessions/${path}`));
    expect(stats).toMatchObject({
      session_id: ALPHA,
      workflow_pattern: 'edit-test loop',
      tool_calls: 4,
      failed_tools: 1,
      end_reason: 'prompt_input_exit',
    });
    const score = await client.calculateSessionSuccessScore(ALPHA);
    expect(score).toEqual(await inject(`/analytics/sessions/${path}/score`));
    // 70 x 3/4 rounded half up + 20 for a normal end + 10 for work done (docs/data-model.md, Analytics).
    expect(score).toMatchObject({ session_id: ALPHA, success_score: 83, ended: true });

    const period = { from: at(-24 * 60), to: at(4 * 60) };
    const bash = await client.getToolPerformance('Bash', period);
    expect(bash).toEqual(await inject(`/analytics/tools/Bash?from=${encodeURIComponent(period.from)}&to=${encodeURIComponent(period.to)}`));
    expect(bash).toMatchObject({ tool_name: 'Bash', total_uses: 2, failed_uses: 1, previous: { total_uses: 0 } });
    // Without a period the route ends it now, so only the figures can agree, not from and to.
    const figures = ({ from: _f, to: _t, previous: { from: _pf, to: _pt, ...previous }, ...rest }: ToolPerformance) => ({
      ...rest,
      previous,
    });
    const mcp = await client.getToolPerformance(MCP_TOOL);
    expect(figures(mcp)).toEqual(figures(await inject(`/analytics/tools/${encodeURIComponent(MCP_TOOL)}`)));
    expect(mcp).toMatchObject({ tool_name: MCP_TOOL, total_uses: 1, successful_uses: 1 });

    const recent = await client.getRecentWorkflowPatterns(7);
    expect(recent).toEqual(await inject('/analytics/workflows/recent?days=7'));
    expect(recent.total_sessions).toBe(SESSIONS.length);
    expect(await client.getRecentWorkflowPatterns(1)).toEqual(await inject('/analytics/workflows/recent?days=1'));
    expect(await client.getRecentWorkflowPatterns()).toEqual(await inject('/analytics/workflows/recent'));
  });

  it('throws HookdApiError with the status, code, message and details of the error body', async () => {
    const missing = await rejection(client.getSessionStats('no-such-session'));
    expect(missing).toMatchObject({ status: 404, code: 'session_not_found', name: 'HookdApiError' });
    expect(missing.message).toContain('no-such-session');
    expect(await rejection(client.calculateSessionSuccessScore('no-such-session'))).toMatchObject({
      status: 404,
      code: 'session_not_found',
    });
    expect(await rejection(client.getToolPerformance('NoSuchTool'))).toMatchObject({ status: 404, code: 'tool_not_found' });

    const badSince = await rejection(client.toolSuccessRates({ since: '7x' }));
    expect(badSince).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(badSince.message).toContain('since');
    const both = await rejection(client.sessionIntelligence({ since: '7d', from: at(0) }));
    expect(both).toMatchObject({
      status: 400,
      code: 'validation_failed',
      details: { problems: [expect.objectContaining({ field: 'since' })] },
    });
    expect(await rejection(client.getRecentWorkflowPatterns(0))).toMatchObject({ status: 400 });
  });

  it('pages through every session exactly once, following next_cursor', async () => {
    const seen: string[] = [];
    for await (const s of client.allSessions({ limit: 1 })) seen.push(s.session_id);
    expect(seen).toHaveLength(SESSIONS.length);
    expect(new Set(seen).size).toBe(SESSIONS.length);
    expect(seen).toEqual((await client.sessionIntelligence({ limit: 1000 })).items.map((s) => s.session_id));

    const pages: number[] = [];
    for await (const page of client.sessionIntelligencePages({ limit: 3 })) pages.push(page.items.length);
    expect(pages).toEqual([3, 1]);
    const filtered: string[] = [];
    for await (const s of client.allSessions({ project: 'alpha', limit: 1 })) filtered.push(s.session_id);
    expect(filtered.sort()).toEqual([ALPHA, 'sdk-gamma']);
  });

  // Last: once a token exists, every route needs one.
  it('sends its token as a Bearer credential', async () => {
    const { token } = await t.runtime.services.tokens.create({ scopes: ['read'], name: 'sdk' });
    const anonymous = await rejection(client.toolSuccessRates());
    expect(anonymous).toMatchObject({ status: 401, code: 'unauthorized' });
    const authorized = new HookdClient({ baseUrl, token });
    const res = await t.app.inject({ url: '/analytics/tools', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(200);
    expect(await authorized.toolSuccessRates()).toEqual(res.json());
    expect(await authorized.getSessionStats(ALPHA)).toMatchObject({ session_id: ALPHA });
    expect(await rejection(new HookdClient({ baseUrl, token: 'hookd_wrong' }).toolSuccessRates())).toMatchObject({ status: 401 });
  });
});

describe('HookdClient requests', () => {
  const recorder = (reply: () => Response) => {
    const requests: { url: string; headers: Headers }[] = [];
    const fetch: typeof globalThis.fetch = async (input, init) => {
      requests.push({ url: String(input), headers: new Headers(init?.headers) });
      return reply();
    };
    return { requests, fetch };
  };

  it('keeps a path prefix, sends only the query values that are defined, and no token unless given', async () => {
    const { requests, fetch } = recorder(() => Response.json({ items: [], next_cursor: null }));
    const client = new HookdClient({ baseUrl: 'http://hookd.example/api', fetch });
    await client.sessionIntelligence({ project: 'a b&c', source: undefined, limit: 5 });
    await client.getRecentWorkflowPatterns();
    await client.getToolPerformance('x/y?z');
    expect(requests.map((r) => r.url)).toEqual([
      'http://hookd.example/api/analytics/sessions?project=a+b%26c&limit=5',
      'http://hookd.example/api/analytics/workflows/recent',
      'http://hookd.example/api/analytics/tools/x%2Fy%3Fz',
    ]);
    expect(requests[0]!.headers.get('authorization')).toBeNull();
    await new HookdClient({ baseUrl: 'http://hookd.example/', token: 'hookd_abc', fetch }).qualityMetrics();
    expect(requests[3]!.headers.get('authorization')).toBe('Bearer hookd_abc');
  });

  it('gives a reply whose body is not a hookd error a sensible HookdApiError', async () => {
    const { fetch } = recorder(
      () =>
        new Response('<html>upstream down</html>', { status: 502, statusText: 'Bad Gateway', headers: { 'content-type': 'text/html' } }),
    );
    const error = await rejection(new HookdClient({ baseUrl: 'http://hookd.example', fetch }).getSessionStats('s1'));
    expect(error).toMatchObject({
      status: 502,
      code: 'http_error',
      message: 'GET /analytics/sessions/s1: HTTP 502 Bad Gateway',
      details: { body: '<html>upstream down</html>' },
    });
    const notJson = recorder(() => new Response('ok', { status: 200 }));
    expect(await rejection(new HookdClient({ baseUrl: 'http://hookd.example', fetch: notJson.fetch }).toolSuccessRates())).toMatchObject({
      status: 200,
      code: 'invalid_response',
    });
  });
});
