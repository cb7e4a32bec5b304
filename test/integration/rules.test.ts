import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import { openRuntime } from '../../src/runtime/runtime.ts';
import { createTestApp, JSON_HEADERS, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

const bashFailures = {
  rule_id: 'bash_failures',
  name: 'Failed Bash commands',
  hook_types: ['tool_execution_failed'],
  conditions: { logic: 'and', conditions: [{ field: 'data.tool_name', operator: 'equals', value: 'Bash' }] },
};
const repeatedFailures = {
  rule_id: 'repeated_failures',
  name: 'A session failing again',
  conditions: {
    logic: 'and',
    conditions: [
      { field: 'event.event_type', operator: 'equals', value: 'tool_execution_failed' },
      { field: 'session.failures', operator: 'gte', value: 2 },
    ],
  },
};

describeEachDialect('team rules on stored events', (dialect) => {
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
  const save = async (team: string, configuration: unknown, enabled = true) => {
    const res = await send('PUT', `/teams/${team}/configuration`, { configuration, enabled });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const ingest = async (events: Record<string, unknown>[]) => {
    const res = await send('POST', '/events/batch', events);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
  };
  const failure = (session: string, id: string, tool: string, team: string | null = 'eng') => ({
    event_type: 'tool_execution_failed',
    session_id: session,
    event_id: id,
    source: 'claude-code',
    ...(team ? { team_id: team } : {}),
    data: { hook_event_name: 'PostToolUseFailure', tool_name: tool, tool_use_id: `tu-${id}`, error: 'exit 1' },
  });
  const fired = async (team: string) => {
    await t.runtime.services.rules.catchUp();
    const { body } = await send('GET', `/executions?team_id=${team}&hook_type=rule&limit=1000`);
    return body.items as { hook_id: string; event_id: string; status: string; team_id: string; metadata: Record<string, unknown> }[];
  };

  it('records one SUCCESS execution per rule that fires, keyed to the event, and none for events it does not match', async () => {
    await save('eng', { team_name: 'Engineering', rules: [bashFailures, repeatedFailures] });
    await ingest([failure('s1', 'e1', 'Bash')]);
    expect((await fired('eng')).map((e) => `${e.hook_id}:${e.event_id}`)).toEqual(['bash_failures:e1']);
    // Rules read the session as derived when they run: by then it has e2's failure, its second.
    await ingest([
      failure('s1', 'e2', 'Edit'),
      { event_type: 'tool_execution_completed', session_id: 's1', event_id: 'e3', team_id: 'eng', data: { tool_name: 'Bash' } },
    ]);
    const items = await fired('eng');
    expect(items.map((e) => `${e.hook_id}:${e.event_id}`).sort()).toEqual(['bash_failures:e1', 'repeated_failures:e2']);
    for (const e of items) {
      expect(e).toMatchObject({ status: 'SUCCESS', team_id: 'eng' });
      expect(e.metadata).toMatchObject({ session_id: 's1', source: 'claude-code', configuration_revision: 1 });
    }
  });

  it('evaluates each event once: more passes, a second process and a restart add nothing', async () => {
    const before = (await fired('eng')).length;
    await t.runtime.services.rules.catchUp();
    const other = await openRuntime(loadConfig({ HOOKD_HOME: '/nonexistent-hookd-home', HOOKD_DATABASE_URL: t.url }), {
      serverThreads: false,
    });
    try {
      await other.services.rules.catchUp();
      await ingest([failure('s2', 'f1', 'Bash')]);
      // Both processes race for the new event.
      await Promise.all([other.services.rules.catchUp(), t.runtime.services.rules.catchUp()]);
    } finally {
      await other.services.close();
    }
    const after = await fired('eng');
    expect(after.length).toBe(before + 1);
    expect(after.filter((e) => e.event_id === 'f1').map((e) => e.hook_id)).toEqual(['bash_failures']);
  });

  it('finds the team of an event without team_id by the claims of project or source', async () => {
    await save('ci', {
      claims: { sources: ['github-actions'] },
      rules: [
        {
          rule_id: 'job_failed',
          name: 'CI job failed',
          conditions: { logic: 'and', conditions: [{ field: 'data.conclusion', operator: 'in', value: ['failure', 'timed_out'] }] },
        },
      ],
    });
    await ingest([
      { event_type: 'job_completed', session_id: 'run-1', event_id: 'j1', source: 'github-actions', data: { conclusion: 'failure' } },
      { event_type: 'job_completed', session_id: 'run-2', event_id: 'j2', source: 'github-actions', data: { conclusion: 'success' } },
      { event_type: 'job_completed', session_id: 'run-3', event_id: 'j3', source: 'buildkite', data: { conclusion: 'failure' } },
    ]);
    expect((await fired('ci')).map((e) => e.event_id)).toEqual(['j1']);
  });

  it('applies a saved change to the events stored after it, and nothing for a disabled team or rule', async () => {
    await save('quiet', { rules: [bashFailures] }, false);
    await ingest([failure('q1', 'q-1', 'Bash', 'quiet')]);
    expect(await fired('quiet')).toEqual([]);
    await save('quiet', {
      rules: [
        { ...bashFailures, enabled: false },
        { ...bashFailures, rule_id: 'bash_v2', hook_types: [] },
      ],
    });
    await ingest([failure('q1', 'q-2', 'Bash', 'quiet')]);
    const items = await fired('quiet');
    expect(items.map((e) => `${e.hook_id}:${e.event_id}`)).toEqual(['bash_v2:q-2']);
    expect(items[0]!.metadata.configuration_revision).toBe(2);
  });

  it('POST /rules/test shows which rules fire and why each condition matched or not, storing nothing', async () => {
    const res = await send('POST', '/rules/test', { team_id: 'eng', event: failure('probe', 'p1', 'Bash') });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ team_id: 'eng', revision: 1 });
    expect(res.body.fired).toEqual(['bash_failures']);
    const rule = res.body.rules.find((r: { rule_id: string }) => r.rule_id === 'repeated_failures');
    expect(rule.fired).toBe(false);
    expect(JSON.stringify(rule)).toContain('session.failures');
    const bad = await send('POST', '/rules/test', { team_id: 'eng', event: { session_id: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('event.event_type');
    expect((await fired('eng')).some((e) => e.event_id === 'p1')).toBe(false);
  });
});
