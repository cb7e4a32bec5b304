import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, JSON_HEADERS, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

/** A usage event runs the rules like any event: a rule on a session's cost fires once when it crosses. */
describeEachDialect('a rule on what a session cost', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const send = async (method: 'POST' | 'PUT' | 'GET', url: string, body?: unknown) => {
    const res = await t.app.inject({
      method,
      url,
      headers: JSON_HEADERS,
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return { status: res.statusCode, body: res.json() };
  };
  const usage = (session: string, n: number, cost: number) => ({
    event_type: 'usage_reported',
    event_id: `otel:${session}-${n}`,
    session_id: session,
    source: 'claude-code',
    team_id: 'eng',
    data: {
      origin: 'telemetry',
      request_id: `${session}-${n}`,
      prompt_id: 'p1',
      model: 'claude-opus-4-5',
      input_tokens: 1000,
      output_tokens: 100,
      cost_usd: cost,
    },
  });
  const fired = async () => {
    await t.runtime.services.rules.catchUp();
    const { body } = await send('GET', '/executions?team_id=eng&hook_type=rule&limit=1000');
    return (body.items as { hook_id: string; event_id: string; metadata: Record<string, unknown> }[]).map(
      (e) => `${e.hook_id}:${e.event_id}`,
    );
  };

  it('fires once, on the request that takes the session past five dollars', async () => {
    const rule = {
      rule_id: 'expensive_session',
      name: 'A session passed $5',
      hook_types: ['usage_reported'],
      once_per_session: true,
      conditions: { logic: 'and', conditions: [{ field: 'session.cost_usd', operator: 'gte', value: 5 }] },
    };
    const saved = await send('PUT', '/teams/eng/configuration', {
      configuration: { team_name: 'Engineering', rules: [rule] },
      enabled: true,
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    // One request at a time, as telemetry arrives: $2, $4, $6 (crossed), $8, then two at once.
    for (const [n, cost] of [
      [1, 2],
      [2, 2],
      [3, 2],
      [4, 2],
    ] as const) {
      expect((await send('POST', '/events/batch', [usage('costly', n, cost)])).status).toBe(202);
      await t.runtime.services.rules.catchUp();
    }
    expect((await send('POST', '/events/batch', [usage('costly', 5, 1), usage('costly', 6, 1)])).status).toBe(202);
    expect(await fired()).toEqual(['expensive_session:otel:costly-3']);
    // Another session crossing fires on its own.
    expect((await send('POST', '/events/batch', [usage('other', 1, 7)])).status).toBe(202);
    expect((await fired()).sort()).toEqual(['expensive_session:otel:costly-3', 'expensive_session:otel:other-1']);
  });

  it('refuses a once_per_session that is not a boolean, naming it', async () => {
    const rule = { rule_id: 'x', name: 'x', once_per_session: 'yes', conditions: { logic: 'and', conditions: [] } };
    const res = await send('PUT', '/teams/eng/configuration', {
      configuration: { team_name: 'Engineering', rules: [rule] },
      enabled: true,
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('once_per_session');
  });
});
