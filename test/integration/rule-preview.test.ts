// POST /rules/preview, its SDK method and `hookd rules preview`: a template rendered against a
// stored or given event into the message a firing would send, within the token's binding.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HookdApiError, HookdClient } from '../../src/sdk/hookd-client.ts';
import { runHookd } from '../cli/cli-harness.ts';
import { createTestApp, JSON_HEADERS, listen, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

const TEMPLATE = {
  title: '{{data.tool_name}} failed in {{session.project}}',
  text: '{{data.error}}{{#session.git_branch}} on {{session.git_branch}}{{/session.git_branch}}{{^data.tool_input}} (no input){{/data.tool_input}}',
};

describeEachDialect('rule message previews', (dialect) => {
  let t: TestApp;
  let home: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    home = mkdtempSync(join(tmpdir(), 'hookd-preview-'));
    const res = await send('POST', '/events/batch', [
      {
        event_type: 'session_started',
        session_id: 'pv-1',
        event_id: 'pv-start',
        team_id: 'alpha',
        data: { hook_event_name: 'SessionStart', cwd: '/home/ana/src/billing' },
      },
      {
        event_type: 'tool_execution_failed',
        session_id: 'pv-1',
        event_id: 'pv-fail',
        team_id: 'alpha',
        data: { hook_event_name: 'PostToolUseFailure', tool_name: 'Bash', tool_use_id: 't1', error: 'exit 1 <&>' },
      },
      {
        event_type: 'tool_execution_failed',
        session_id: 'pv-2',
        event_id: 'pv-other-team',
        team_id: 'beta',
        data: { tool_name: 'Secret', error: 'beta only' },
      },
    ]);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    // A read of the session waits for its derivation: previews then see its project.
    expect((await send('GET', '/sessions/pv-1')).body.project).toBe('billing');
  });
  afterAll(async () => {
    rmSync(home ?? '/nonexistent', { recursive: true, force: true });
    await t?.close();
  });

  async function send(method: 'POST' | 'GET', url: string, body?: unknown, token?: string) {
    const res = await t.app.inject({
      method,
      url,
      headers: { ...JSON_HEADERS, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return { status: res.statusCode, body: res.json() };
  }
  const preview = (body: unknown, token?: string) => send('POST', '/rules/preview', body, token);

  it('renders a template against a stored event into the message a firing would send', async () => {
    const res = await preview({ template: TEMPLATE, event_id: 'pv-fail' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ title: 'Bash failed in billing', text: 'exit 1 <&> (no input)', problems: [] });
    expect(res.body.message).toMatchObject({
      kind: 'failure',
      priority: 'normal',
      title: 'Bash failed in billing',
      text: 'exit 1 <&> (no input)',
      fields: expect.arrayContaining([{ name: 'Project', value: 'billing' }]),
      context: { event_id: 'pv-fail', session_id: 'pv-1', team_id: 'alpha', rule_id: 'preview' },
    });
    // A string is the text: the built-in title stays.
    const text = await preview({ template: 'Failed: {{data.tool_name}}', event_id: 'pv-fail', kind: 'rule' });
    expect(text.body).toMatchObject({ title: 'Rule preview', text: 'Failed: Bash', message: { kind: 'rule' } });
    // Nothing was stored: no execution, no notification.
    expect((await send('GET', '/executions?limit=10')).body.items).toEqual([]);
    expect((await send('GET', '/notifications')).body.items).toEqual([]);
  });

  it('renders against a given event (a hook payload too) and lists the variables that rendered empty', async () => {
    const res = await preview({
      template: '{{#data.tool_input.edits}}{{file_path}} {{/data.tool_input.edits}}{{data.tol_name}}',
      event: {
        hook_event_name: 'PreToolUse',
        session_id: 'pv-given',
        tool_name: 'MultiEdit',
        tool_input: { edits: [{ file_path: 'a.ts' }, { file_path: 'b.ts' }] },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.text).toBe('a.ts b.ts ');
    expect(res.body.message.kind).toBe('rule');
    expect(res.body.problems).toEqual([{ field: 'template', message: '{{data.tol_name}} renders empty for this event' }]);
  });

  it('answers 400 naming the template part that does not parse, and event_id when the event is missing or doubled', async () => {
    const bad = await preview({ template: 'hi {{> footer}}', event_id: 'pv-fail' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.problems).toEqual([{ field: 'template', message: '{{>footer}}: partials are not supported' }]);
    const title = await preview({ template: { title: '{{#data.x}}open', text: 'ok' }, event_id: 'pv-fail' });
    expect(title.status).toBe(400);
    expect(title.body.error.details.problems).toEqual([
      { field: 'template.title', message: expect.stringMatching(/^not a valid template: Unclosed section "data.x"/) },
    ]);
    const empty = await preview({ template: { title: '' }, event_id: 'pv-fail' });
    expect(empty.body.error.details.problems).toEqual([
      { field: 'template.title', message: 'expected a non-empty string, got an empty one' },
    ]);
    const neither = await preview({ template: 'x' });
    expect(neither.status).toBe(400);
    expect(neither.body.error.details.problems[0].field).toBe('event_id');
    expect((await preview({ template: 'x', event_id: 'pv-fail', event: { event_type: 'x', session_id: 's' } })).status).toBe(400);
    expect((await preview({ template: 'x', event_id: 'pv-fail', color: 'red' })).status).toBe(400);
    expect((await preview({ template: 'x', event_id: 'no-such-event' })).status).toBe(404);
  });

  it("keeps a team-bound token to its team's events: another team's is 404 as a missing one", async () => {
    const { token } = await t.runtime.services.tokens.create({ scopes: ['read'], teamId: 'alpha' });
    const own = await preview({ template: '{{data.error}}', event_id: 'pv-fail' }, token);
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    expect(own.body.text).toBe('exit 1 <&>');
    const other = await preview({ template: '{{data.error}}', event_id: 'pv-other-team' }, token);
    expect(other.status).toBe(404);
    expect(JSON.stringify(other.body)).not.toContain('beta only');
    // A given event sees only the sessions of the token's team.
    const given = await preview({ template: '[{{session.project}}]', event: { event_type: 'x', session_id: 'pv-2' } }, token);
    expect(given.body.text).toBe('[]');
    const { token: sessionBound } = await t.runtime.services.tokens.create({ scopes: ['read'], teamId: 'alpha', sessionId: 'pv-1' });
    expect((await preview({ template: 'x', event_id: 'pv-fail' }, sessionBound)).status).toBe(403);
  });

  it('previews through the SDK', async () => {
    // Tokens exist by now (the test above made some): the client needs one.
    const { token } = await t.runtime.services.tokens.create({ scopes: ['read'] });
    const client = new HookdClient({ baseUrl: await listen(t), token });
    const result = await client.previewRule({ template: { title: 'On {{session.project}}' }, event_id: 'pv-fail' });
    expect(result).toMatchObject({ title: 'On billing', text: 'exit 1 <&>', problems: [] });
    const error = await client.previewRule({ template: '{{tool}}', event_id: 'pv-fail' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HookdApiError);
    expect((error as HookdApiError).status).toBe(400);
  });

  it('hookd rules preview prints the title and the text, --json the reply, and refuses a bad template with exit 1', async () => {
    const env = { HOOKD_DATABASE_URL: t.url, HOOKD_HOME: home, CI: 'true' };
    const stored = await runHookd(['rules', 'preview', '--template', TEMPLATE.text, '--title', TEMPLATE.title, '--event', 'pv-fail'], env);
    expect(stored.code, stored.stderr).toBe(0);
    expect(stored.stdout).toBe('Bash failed in billing\n\nexit 1 <&> (no input)\n');
    const file = join(home, 'event.json');
    writeFileSync(file, JSON.stringify({ event_type: 'agent_stopped', session_id: 'pv-1', data: { tool_name: 'Edit' } }));
    const given = await runHookd(
      ['rules', 'preview', '--template', '{{data.tool_name}} {{data.nope}}', '--event-file', file, '--json'],
      env,
    );
    expect(given.code, given.stderr).toBe(0);
    expect(JSON.parse(given.stdout)).toMatchObject({ title: 'Agent stopped', text: 'Edit ', message: { kind: 'stop' } });
    const inline = await runHookd(
      ['rules', 'preview', '--template', '{{event.event_type}}', '--event-json', '{"event_type":"x","session_id":"s"}'],
      env,
    );
    expect(inline.stdout).toBe('Rule preview\n\nx\n');
    const warned = await runHookd(['rules', 'preview', '--template', '{{data.nope}}', '--event', 'pv-fail'], env);
    expect(warned.stderr).toContain('warning: template: {{data.nope}} renders empty for this event');
    const bad = await runHookd(['rules', 'preview', '--template', '{{=<% %>=}}', '--event', 'pv-fail'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('template: {{=<% %>=}}: changing the delimiters is not supported');
  }, 60_000);
});
