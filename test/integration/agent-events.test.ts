import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, JSON_HEADERS, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/agent-sessions/${name}`, import.meta.url));
const lines = (name: string) =>
  readFileSync(fixture(name), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const CLAUDE_SESSION = '7f3c2a9e-1b4d-4c8e-9a51-2d6f0e8b1c34';
const CODEX_SESSION = '0199a2b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b';
const GEMINI_SESSION = 'c0ffee00-1111-4222-8333-444455556666';

describeEachDialect('every agent, every event', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const hook = (source: string, payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: `/hooks/${source}`, headers: { ...JSON_HEADERS, ...headers }, payload: JSON.stringify(payload) });
  const replay = async (source: string, events: Record<string, unknown>[], base: number) => {
    for (const [i, event] of events.entries()) {
      // One second apart, as emit would stamp them; ids make a second replay idempotent.
      const res = await hook(source, event, { 'x-hookd-event-id': `${source}-${i}`, 'x-hookd-timestamp': String(base + i * 1000) });
      expect(res.statusCode, JSON.stringify(event)).toBe(200);
      expect(res.json()).toEqual({});
    }
  };
  const session = async (id: string) => {
    const res = await t.app.inject({ url: `/sessions/${id}` });
    expect(res.statusCode).toBe(200);
    return res.json() as Record<string, unknown> & { tool_uses: Record<string, unknown>[]; agents: Record<string, unknown>[] };
  };
  const eventTypes = async (id: string) => {
    const res = await t.app.inject({ url: `/events?session_id=${id}&limit=100` });
    return (res.json().items as { event_type: string; data: Record<string, unknown> }[]).reverse();
  };

  it('derives a Claude Code session from every newer event: errors, denials, prompts and the subagent tree', async () => {
    const events = lines('claude-code-every-event.jsonl');
    const base = Date.parse('2026-12-01T09:00:00Z');
    await replay('claude-code', events, base);
    const s = await session(CLAUDE_SESSION);
    expect(s).toMatchObject({
      source: 'claude-code',
      status: 'ended',
      end_reason: 'prompt_input_exit',
      events: events.length,
      prompts: 1,
      subagents: 1,
      permission_denials: 1,
      stop_failures: 1,
      error_kind: 'rate_limit',
      error_message: '429 Too Many Requests: rate limit reached for requests',
    });
    const uses = new Map(s.tool_uses.map((u) => [u.tool_use_id, u]));
    expect(uses.get('toolu_01PD')).toMatchObject({
      tool_name: 'Bash',
      status: 'failed',
      error: 'permission denied: auto mode classifier: destructive push to a protected branch',
      prompt_id: 'prm_01J9ZC7Q4K',
    });
    expect(uses.get('toolu_01AG')).toMatchObject({
      tool_name: 'Agent',
      subagent_type: 'Explore',
      status: 'succeeded',
      duration_ms: 9400,
      agent_run: {
        total_tokens: 18342,
        input_tokens: 15210,
        output_tokens: 812,
        cache_read_tokens: 2100,
        cache_creation_tokens: 220,
        model: 'claude-haiku-4-5',
        agent_id: null,
      },
    });
    expect(uses.get('toolu_01SG')).toMatchObject({ agent_id: 'agent_9b1', status: 'succeeded', agent_run: null });
    expect(s.agents).toEqual([
      {
        agent_id: 'agent_9b1',
        agent_type: 'Explore',
        status: 'finished',
        started_at: new Date(base + 5000).toISOString(),
        ended_at: new Date(base + 8000).toISOString(),
        tool_use_id: 'toolu_01AG',
        parent_agent_id: null,
        tool_calls: 1,
        failures: 0,
        total_tokens: 18342,
        model: 'claude-haiku-4-5',
        // Its usage at Claude Haiku 4.5's $1/$5/$0.10/$1.25 per million tokens.
        cost_usd: expect.closeTo(0.019755, 9),
      },
    ]);
    const types = (await eventTypes(CLAUDE_SESSION)).map((e) => e.event_type);
    expect(types).toEqual([
      'session_started',
      'prompt_submitted',
      'prompt_expanded',
      'instructions_loaded',
      'tool_execution_started',
      'subagent_started',
      'tool_execution_started',
      'tool_execution_completed',
      'subagent_stopped',
      'tool_execution_completed',
      'tool_execution_started',
      'permission_denied',
      'tool_batch_completed',
      'agent_task_created',
      'agent_task_completed',
      'cwd_changed',
      'config_changed',
      'brand_new_event',
      'context_compact_completed',
      'agent_stop_failed',
      'session_ended',
    ]);
    // An event no version of hookd knows passes through with its fields kept.
    const unknown = (await eventTypes(CLAUDE_SESSION)).find((e) => e.event_type === 'brand_new_event')!;
    expect(unknown.data).toMatchObject({ hook_event_name: 'BrandNewEvent', brand_new_field: { nested: [1, 2, 3] } });

    // A spool replay of the same events changes nothing.
    await replay('claude-code', events, base);
    expect(await session(CLAUDE_SESSION)).toEqual(s);
    // A rebuild from the stored events gives back exactly the rows ingest derived.
    expect(await t.runtime.services.sessionMaintenance.rebuild({ sessionId: CLAUDE_SESSION })).toMatchObject({ changed: 0 });
    expect(await session(CLAUDE_SESSION)).toEqual(s);
  });

  it('clears the turn error once the user prompts again', async () => {
    const id = 'stop-failure-then-prompt';
    const base = Date.parse('2026-12-01T10:00:00Z');
    await replay(
      'claude-code',
      [
        { session_id: id, hook_event_name: 'UserPromptSubmit', prompt: 'go' },
        { session_id: id, hook_event_name: 'StopFailure', error: 'overloaded', error_details: { message: '529 overloaded' } },
      ],
      base,
    );
    expect(await session(id)).toMatchObject({ error_kind: 'overloaded', error_message: '529 overloaded', stop_failures: 1 });
    await hook(
      'claude-code',
      { session_id: id, hook_event_name: 'UserPromptSubmit', prompt: 'again' },
      {
        'x-hookd-event-id': 'again',
        'x-hookd-timestamp': String(base + 5000),
      },
    );
    expect(await session(id)).toMatchObject({ error_kind: null, error_message: null, stop_failures: 1, prompts: 2 });
  });

  it('derives a Codex session: failed commands by exit code, turns as prompts, subagents, notify', async () => {
    const events = lines('codex-session.jsonl');
    await replay('codex', events, Date.parse('2026-12-01T11:00:00Z'));
    const s = await session(CODEX_SESSION);
    expect(s).toMatchObject({
      source: 'codex',
      model: 'gpt-5-codex',
      permission_mode: 'on-request',
      project: 'gateway',
      prompts: 1,
      subagents: 1,
      tool_calls: 1,
      failures: 1,
    });
    expect(s.tool_uses).toEqual([
      expect.objectContaining({
        tool_use_id: 'call_A1',
        tool_name: 'shell',
        status: 'failed',
        error: 'exit code 1',
        duration_ms: 2310,
        prompt_id: 'turn_3',
      }),
    ]);
    expect(s.agents).toEqual([
      expect.objectContaining({ agent_id: 'sub_1', agent_type: 'reviewer', status: 'finished', parent_agent_id: null }),
    ]);

    // The legacy notify program's one JSON argument, as `hookd emit --source codex` posts it.
    const notify = JSON.parse(readFileSync(fixture('codex-notify.json'), 'utf8'));
    expect((await hook('codex', notify)).statusCode).toBe(200);
    const last = (await eventTypes(CODEX_SESSION)).at(-1)!;
    expect(last).toMatchObject({ event_type: 'agent_turn_completed', data: { 'turn-id': 'turn_3' } });
  });

  it('derives a Gemini CLI session from its own event names, told apart by source', async () => {
    const events = lines('gemini-session.jsonl');
    // No emit here: the payloads' own timestamps order them. emit pairs the tool calls
    // (tool-call-pairing.ts); here the pairing it does is given as its header.
    for (const [i, event] of events.entries()) {
      const pair: Record<string, string> =
        event.hook_event_name === 'BeforeTool' || event.hook_event_name === 'AfterTool' ? { 'x-hookd-tool-use-id': 'gem-call-1' } : {};
      const res = await hook('gemini-cli', event, { 'x-hookd-event-id': `gemini-${i}`, ...pair });
      expect(res.statusCode).toBe(200);
    }
    const s = await session(GEMINI_SESSION);
    expect(s).toMatchObject({
      source: 'gemini-cli',
      model: 'gemini-2.5-pro',
      status: 'ended',
      end_reason: 'exit',
      prompts: 1,
      tool_calls: 1,
      failures: 0,
      started_at: '2026-12-01T10:00:00.000Z',
    });
    expect(s.tool_uses).toEqual([
      expect.objectContaining({ tool_use_id: 'gem-call-1', tool_name: 'run_shell_command', status: 'succeeded', duration_ms: 1000 }),
    ]);
    const types = (await eventTypes(GEMINI_SESSION)).map((e) => e.event_type);
    expect(types).toEqual([
      'session_started',
      'prompt_submitted',
      'model_requested',
      'model_responded',
      'tool_selection_started',
      'tool_execution_started',
      'tool_execution_completed',
      'notification',
      'context_compacted',
      'agent_stopped',
      'session_ended',
    ]);
    const sources = await t.app.inject({ url: '/sessions?source=gemini-cli' });
    expect(sources.json().items.map((x: { session_id: string }) => x.session_id)).toEqual([GEMINI_SESSION]);
  });

  it('stores a failed Gemini CLI tool call from its error', async () => {
    const id = 'gemini-failed-tool';
    const base = { session_id: id, cwd: '/tmp/x', tool_name: 'read_file', tool_input: { absolute_path: '/nope' } };
    await replay(
      'gemini-cli',
      [
        { ...base, hook_event_name: 'BeforeTool', timestamp: '2026-12-01T10:00:00.000Z' },
        {
          ...base,
          hook_event_name: 'AfterTool',
          timestamp: '2026-12-01T10:00:01.000Z',
          tool_response: { llmContent: '', error: 'ENOENT: no such file' },
        },
      ].map((e) => ({ ...e })),
      Date.parse('2026-12-01T10:00:00Z'),
    );
    const s = await session(id);
    expect(s.failures).toBe(1);
    expect(s.tool_uses.find((u) => u.status === 'failed')).toMatchObject({ tool_name: 'read_file', error: 'ENOENT: no such file' });
  });
});
