import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PRICES_AS_OF } from '../../src/modules/cost/model-prices.ts';
import { createTestApp, JSON_HEADERS, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';
import { costDays, costEvents, dateOf, expectedCost } from './cost-fixtures.ts';

/**
 * GET /analytics/cost and the token gauges of /metrics/prometheus over the counted
 * token_usage rows (cost-fixtures.ts), with every grouping, filter and token binding.
 */
describeEachDialect('what the model requests cost', (dialect) => {
  let t: TestApp;
  let admin: string;
  let read: string;
  const now = Date.now();
  const expected = expectedCost(now);
  const { day1, day2 } = costDays(now);

  beforeAll(async () => {
    t = await createTestApp(dialect);
    admin = (await t.runtime.services.tokens.create({ scopes: ['admin'] })).token;
    read = (await t.runtime.services.tokens.create({ scopes: ['read'] })).token;
    const res = await t.app.inject({
      method: 'POST',
      url: '/events/batch',
      headers: { ...JSON_HEADERS, authorization: `Bearer ${admin}` },
      payload: JSON.stringify(costEvents(now)),
    });
    expect(res.statusCode, res.body).toBe(202);
  });
  afterAll(async () => t?.close());

  const get = async (url: string, status = 200, token = read) => {
    const res = await t.app.inject({ url, headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode, `${url}: ${res.body}`).toBe(status);
    return res.json();
  };
  const tokenFor = async (teamId: string, sessionId: string | null = null) =>
    (await t.runtime.services.tokens.create({ scopes: ['read'], teamId, sessionId })).token;
  const keys = (report: { items: { key: string | null }[] }) => report.items.map((i) => i.key);
  const figures = ({ key: _key, ...rest }: { key: string | null }) => rest;

  it('answers by day by default, oldest first, with the totals and the date of the prices', async () => {
    expect(await get('/analytics/cost')).toEqual({
      group_by: 'day',
      items: expected.day,
      truncated: false,
      totals: expected.totals,
      prices_as_of: PRICES_AS_OF,
    });
  });

  it('counts a prompt reported by both its transcript and telemetry once', async () => {
    const report = await get('/analytics/cost?group_by=session');
    const s1 = report.items.find((i: { key: string }) => i.key === 'cost-1');
    // The transcript row (999,999 tokens each way) is stored but shadowed.
    expect(s1).toMatchObject({ input_tokens: 1_001_000, output_tokens: 100_200, requests: 2 });
    // The same figures as the session's own totals.
    const session = (await t.app.inject({ url: '/sessions/cost-1', headers: { authorization: `Bearer ${read}` } })).json();
    expect(session).toMatchObject({ input_tokens: 1_001_000, output_tokens: 100_200, cache_read_tokens: 5000, unpriced_tokens: 0 });
    expect(session.cost_usd).toBeCloseTo(1.55, 9);
  });

  it('groups by model, project, team, source and session, biggest cost first', async () => {
    for (const groupBy of ['model', 'project', 'team', 'source', 'session'] as const) {
      const report = await get(`/analytics/cost?group_by=${groupBy}`);
      expect(report, groupBy).toEqual({
        group_by: groupBy,
        items: expected[groupBy],
        truncated: false,
        totals: expected.totals,
        prices_as_of: PRICES_AS_OF,
      });
    }
  });

  it('keeps `limit` groups and says there were more; the totals still cover them all', async () => {
    const report = await get('/analytics/cost?group_by=model&limit=2');
    expect(keys(report)).toEqual(['gpt-5-codex', 'claude-haiku-4-5']);
    expect(report.truncated).toBe(true);
    expect(report.totals).toEqual(expected.totals);
    expect((await get('/analytics/cost?group_by=model&limit=4')).truncated).toBe(false);
    // Every day is listed whatever the limit.
    expect(keys(await get('/analytics/cost?limit=1'))).toEqual([dateOf(day1), dateOf(day2)]);
  });

  it('filters by time of the request, source, project, team and model', async () => {
    const dayStart = Math.floor(day2 / 86_400_000) * 86_400_000;
    const second = await get(`/analytics/cost?from=${new Date(dayStart).toISOString()}&to=${dayStart + 86_400_000}`);
    expect(second.items).toEqual([expected.day[1]]);
    expect(second.totals).toEqual(figures(expected.day[1]!));
    // `to` is exclusive: a range ending where day 2 starts holds day 1 only.
    expect(keys(await get(`/analytics/cost?to=${dayStart}`))).toEqual([dateOf(day1)]);
    expect(keys(await get('/analytics/cost?since=36h'))).toEqual([dateOf(day2)]);
    expect(keys(await get('/analytics/cost?since=999999w'))).toEqual([dateOf(day1), dateOf(day2)]);

    const model = await get('/analytics/cost?model=gpt-5-codex&group_by=session');
    expect(keys(model)).toEqual(['cost-2', 'cost-3']);
    expect(model.totals).toMatchObject({ input_tokens: 2_000_100, cost_usd: 2.51, requests: 2, sessions: 2 });
    expect((await get('/analytics/cost?project=alpha&group_by=model')).totals).toEqual(
      (await get('/analytics/cost?team=team-a&group_by=model')).totals,
    );
    expect(keys(await get('/analytics/cost?project=alpha&group_by=model'))).toEqual(['claude-haiku-4-5', 'claude-sonnet-4-5-20250929']);
    expect(keys(await get('/analytics/cost?source=codex&group_by=model'))).toEqual(['gpt-5-codex', 'mystery-model']);
    expect(keys(await get('/analytics/cost?team=team-b&project=beta&model=mystery-model&group_by=session'))).toEqual(['cost-2']);
    const none = await get('/analytics/cost?project=nowhere&group_by=team');
    expect(none.items).toEqual([]);
    expect(none.totals).toMatchObject({ input_tokens: 0, cost_usd: 0, requests: 0, sessions: 0 });
  });

  it("narrows a team-bound token to its team's sessions and a session-bound one to its session", async () => {
    const teamA = await tokenFor('team-a');
    const byTeam = await get('/analytics/cost?group_by=session', 200, teamA);
    expect(keys(byTeam)).toEqual(['cost-1']);
    expect(byTeam.totals).toEqual(figures(expected.team[1]!));
    expect(keys(await get('/analytics/cost?group_by=team', 200, teamA))).toEqual(['team-a']);
    // Another team's figures are empty, not refused: the same answer as a team with no usage.
    const other = await get('/analytics/cost?team=team-b&group_by=model', 200, teamA);
    expect(other.items).toEqual([]);
    expect(other.totals.requests).toBe(0);

    const session2 = await tokenFor('team-b', 'cost-2');
    const own = await get('/analytics/cost?group_by=model', 200, session2);
    expect(keys(own)).toEqual(['gpt-5-codex', 'mystery-model']);
    expect(own.totals).toMatchObject({ input_tokens: 2_000_010, cost_usd: 2.5, unpriced_tokens: 15, requests: 2, sessions: 1 });
    expect(keys(await get('/analytics/cost?group_by=session', 200, session2))).toEqual(['cost-2']);
    expect(keys(await get('/analytics/cost?group_by=project', 200, session2))).toEqual(['beta']);
  });

  it('refuses bad parameters with a 400 naming the field', async () => {
    // The schema's refusals name the query string's field (querystring.limit), the service's the field alone.
    const field = async (query: string) =>
      ((await get(`/analytics/cost?${query}`, 400)).error.details.problems[0].field as string).replace(/^querystring\./, '');
    expect(await field('group_by=week')).toBe('group_by');
    expect(await field('limit=0')).toBe('limit');
    expect(await field('limit=1001')).toBe('limit');
    expect(await field('limit=two')).toBe('limit');
    expect(await field('model=')).toBe('model');
    expect(await field('since=7x')).toBe('since');
    expect(await field('since=7d&from=2026-01-01')).toBe('since');
    expect(await field('from=yesterday')).toBe('from');
    expect(await field('to=99999999999999999999')).toBe('to');
    expect(await field('from=2026-02-01&to=2026-01-01')).toBe('from');
  });

  it('serves the tokens and cost per model to Prometheus as gauges read from the database', async (context) => {
    // A scrape reads what is derived so far; the reads above derived everything.
    await t.runtime.services.stores.deriver.catchUp();
    const res = await t.app.inject({ url: '/metrics/prometheus', headers: { authorization: `Bearer ${read}` } });
    expect(res.statusCode).toBe(200);
    const text = res.body;
    expect(text).toMatch(/^# TYPE hookd_tokens gauge$/m);
    expect(text).toMatch(/^# TYPE hookd_cost_usd gauge$/m);
    const samples = text.split('\n').filter((line) => /^hookd_(tokens|cost_usd)\{/.test(line));
    const byModel = new Map<string, Record<string, number>>();
    for (const line of samples) {
      const [, name, labels, value] = /^(\w+)\{(.*)\} (\S+)$/.exec(line)!;
      const model = /model="([^"]*)"/.exec(labels!)![1]!;
      const type = /type="([^"]*)"/.exec(labels!)?.[1] ?? 'usd';
      byModel.set(model, { ...byModel.get(model), [name === 'hookd_cost_usd' ? 'usd' : type]: Number(value) });
    }
    expect(Object.fromEntries(byModel)).toEqual(
      Object.fromEntries(
        expected.model.map((m) => [
          m.key,
          {
            input: m.input_tokens,
            output: m.output_tokens,
            cache_read: m.cache_read_tokens,
            cache_creation: m.cache_creation_tokens,
            usd: m.cost_usd,
          },
        ]),
      ),
    );
    // A request arriving later shows in the next scrape.
    const late = await t.app.inject({
      method: 'POST',
      url: '/events/batch',
      headers: { ...JSON_HEADERS, authorization: `Bearer ${admin}` },
      payload: JSON.stringify([
        {
          event_type: 'usage_reported',
          event_id: 'late',
          session_id: 'cost-3',
          team_id: 'team-b',
          source: 'codex',
          data: { origin: 'telemetry', request_id: 'late', model: 'mystery-model', input_tokens: 1, output_tokens: 1 },
        },
      ]),
    });
    expect(late.statusCode).toBe(202);
    await t.runtime.services.stores.deriver.catchUp();
    const after = (await t.app.inject({ url: '/metrics/prometheus', headers: { authorization: `Bearer ${read}` } })).body;
    expect(after).toMatch(/^hookd_tokens\{model="mystery-model",type="input"\} 11$/m);
    // cost-3 now has a per-request row, so its metric window no longer counts.
    expect(after).toMatch(/^hookd_tokens\{model="gpt-5-codex",type="input"\} 2000000$/m);

    const promtool = spawnSync('promtool', ['--version']);
    if (promtool.error) {
      console.log('promtool check skipped: promtool is not installed (Debian package prometheus; .ci/run installs it)');
      context.skip();
    }
    const check = spawnSync('promtool', ['check', 'metrics'], { input: after, encoding: 'utf8' });
    expect(`${check.stdout}${check.stderr}`.trim()).toBe('');
    expect(check.status).toBe(0);
  });
});
