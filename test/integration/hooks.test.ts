import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, JSON_HEADERS, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/claude-code/session-fix-rounding.jsonl', import.meta.url));
const fixtureLines = () =>
  readFileSync(FIXTURE, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
const FIXTURE_SESSION = '7f3c2a9e-1b4d-4c8e-9a51-2d6f0e8b1c34';

describeEachDialect('Claude Code hooks', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const hook = (payload: unknown, headers: Record<string, string> = {}, source = 'claude-code') =>
    t.app.inject({ method: 'POST', url: `/hooks/${source}`, headers: { ...JSON_HEADERS, ...headers }, payload: JSON.stringify(payload) });
  const batch = (events: unknown[]) =>
    t.app.inject({ method: 'POST', url: '/events/batch', headers: JSON_HEADERS, payload: JSON.stringify(events) });
  const session = async (id: string) => {
    const res = await t.app.inject({ url: `/sessions/${id}` });
    expect(res.statusCode).toBe(200);
    return res.json();
  };

  it('replays the recorded session into one ended session with its tool uses', async () => {
    const lines = fixtureLines();
    const base = Date.parse('2026-11-02T09:00:00Z');
    for (const [i, line] of lines.entries()) {
      // Timestamps one second apart, as emit would stamp them; ids make replays idempotent.
      const res = await hook(line, { 'x-hookd-event-id': `fx-${i}`, 'x-hookd-timestamp': String(base + i * 1000) });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({});
    }
    const s = await session(FIXTURE_SESSION);
    expect(s).toMatchObject({
      source: 'claude-code',
      project: 'billing',
      cwd: '/home/ana/src/billing',
      model: 'claude-sonnet-4-5',
      permission_mode: 'default',
      status: 'ended',
      end_reason: 'prompt_input_exit',
      started_at: '2026-11-02T09:00:00.000Z',
      ended_at: new Date(base + (lines.length - 1) * 1000).toISOString(),
      events: lines.length,
      prompts: 1,
      tool_calls: 7,
      failures: 1,
      subagents: 1,
      idle_since: null,
    });
    const uses = s.tool_uses as Record<string, unknown>[];
    expect(uses).toHaveLength(7);
    expect(uses.filter((u) => u.status === 'succeeded')).toHaveLength(6);
    const failed = uses.find((u) => u.status === 'failed')!;
    expect(failed).toMatchObject({ tool_name: 'Bash', input_summary: 'npm test -- invoice', duration_ms: 3120, interrupted: false });
    expect(failed.error).toContain('expected 10.01 to be 10.00');
    expect(uses.find((u) => u.tool_name === 'Task')).toMatchObject({ subagent_type: 'Explore', status: 'succeeded', agent_id: null });
    expect(uses.find((u) => u.tool_use_id === 'toolu_02A')).toMatchObject({ agent_id: 'agent_9b1', agent_type: 'Explore' });
    expect(s.recent_events[0]).toMatchObject({ event_type: 'session_ended', source: 'claude-code', data: { reason: 'prompt_input_exit' } });

    // The same events again (a spool replay) change nothing.
    for (const [i, line] of lines.entries()) {
      await hook(line, { 'x-hookd-event-id': `fx-${i}`, 'x-hookd-timestamp': String(base + i * 1000) });
    }
    const again = await session(FIXTURE_SESSION);
    expect({ ...again, recent_events: [] }).toEqual({ ...s, recent_events: [] });
  });

  it('maps every hook name, keeps unknown ones snake_cased, and the payload whole', async () => {
    const payload = {
      session_id: 'map-1',
      hook_event_name: 'PostToolUseFailure',
      tool_name: 'Bash',
      tool_use_id: 'tu-1',
      error: 'boom',
      extra: { x: 1 },
    };
    await hook(payload);
    await hook({ session_id: 'map-1', hook_event_name: 'BrandNewEvent', whatever: true });
    const items = (await t.app.inject({ url: '/events?session_id=map-1' })).json().items;
    const types = items.map((e: { event_type: string }) => e.event_type).sort();
    expect(types).toEqual(['brand_new_event', 'tool_execution_failed']);
    expect(items.find((e: { event_type: string }) => e.event_type === 'tool_execution_failed').data).toEqual(payload);
  });

  it('pairs a call whose outcome arrives before its start, in another batch, and times it from the timestamps', async () => {
    const common = { session_id: 'pair-1', source: 'sdk' };
    await batch([
      {
        ...common,
        event_type: 'tool_execution_completed',
        timestamp: '2026-11-02T10:00:05.250Z',
        data: { tool_name: 'Read', tool_use_id: 'tu-9' },
      },
    ]);
    const half = (await t.app.inject({ url: '/tool-uses?session_id=pair-1' })).json().items;
    expect(half).toEqual([expect.objectContaining({ status: 'succeeded', started_at: null, duration_ms: null })]);
    await batch([
      {
        ...common,
        event_type: 'tool_execution_started',
        timestamp: '2026-11-02T10:00:04.000Z',
        data: { tool_name: 'Read', tool_use_id: 'tu-9', tool_input: { file_path: 'a.ts' } },
      },
    ]);
    const whole = (await t.app.inject({ url: '/tool-uses?session_id=pair-1' })).json().items;
    expect(whole).toEqual([
      expect.objectContaining({
        tool_use_id: 'tu-9',
        status: 'succeeded',
        input_summary: 'a.ts',
        duration_ms: 1250,
        started_at: '2026-11-02T10:00:04.000Z',
      }),
    ]);
    expect((await session('pair-1')).tool_calls).toBe(1);
  });

  it('keeps a start without an outcome running and an outcome without a start on its own', async () => {
    await batch([
      { session_id: 'lone-1', event_type: 'tool_execution_started', data: { tool_name: 'Grep', tool_use_id: 'tu-a' } },
      { session_id: 'lone-1', event_type: 'tool_execution_completed', data: { tool_name: 'Glob', duration_ms: 12 } },
    ]);
    const items = (await t.app.inject({ url: '/tool-uses?session_id=lone-1' })).json().items;
    expect(items).toHaveLength(2);
    expect(items.find((u: { tool_name: string }) => u.tool_name === 'Grep')).toMatchObject({ status: 'running', ended_at: null });
    expect(items.find((u: { tool_name: string }) => u.tool_name === 'Glob')).toMatchObject({ status: 'succeeded', duration_ms: 12 });
  });

  it('marks a session idle on a permission prompt and active again on the next activity', async () => {
    const at = (s: number) => `2026-11-02T11:00:${String(s).padStart(2, '0')}.000Z`;
    const e = (type: string, s: number, data: Record<string, unknown> = {}) => ({
      session_id: 'idle-1',
      event_type: type,
      timestamp: at(s),
      data,
    });
    await batch([e('session_started', 1), e('notification', 2, { notification_type: 'permission_prompt' })]);
    expect(await session('idle-1')).toMatchObject({ status: 'idle', idle_since: at(2) });
    await batch([e('prompt_submitted', 3)]);
    expect(await session('idle-1')).toMatchObject({ status: 'active', idle_since: null, prompts: 1 });
    // A prompt notification older than that activity, arriving late, does not make it idle again.
    await batch([e('notification', 2, { notification_type: 'idle_prompt' }), e('stop', 4)]);
    expect(await session('idle-1')).toMatchObject({ status: 'active', idle_since: null, events: 5 });
  });

  it('reopens an ended session when it is resumed', async () => {
    const e = (type: string, iso: string, data: Record<string, unknown> = {}) => ({
      session_id: 'resume-1',
      event_type: type,
      timestamp: iso,
      data,
    });
    await batch([e('session_started', '2026-11-02T12:00:00Z'), e('session_ended', '2026-11-02T12:05:00Z', { reason: 'clear' })]);
    expect(await session('resume-1')).toMatchObject({ status: 'ended', end_reason: 'clear' });
    await batch([e('session_started', '2026-11-02T13:00:00Z', { source: 'resume' })]);
    expect(await session('resume-1')).toMatchObject({
      status: 'active',
      ended_at: null,
      end_reason: null,
      started_at: '2026-11-02T12:00:00.000Z',
    });
  });

  describe('bad input', () => {
    it('names the problem and stores nothing', async () => {
      const notObject = await hook([1, 2]);
      expect(notObject.statusCode).toBe(400);
      expect(notObject.json().error.details.problems[0].field).toBe('(body)');
      const noSession = await hook({ hook_event_name: 'Stop' });
      expect(noSession.statusCode).toBe(400);
      expect(noSession.json().error.details.problems.map((p: { field: string }) => p.field)).toContain('session_id');
      const badSource = await hook({ session_id: 'x', hook_event_name: 'Stop' }, {}, 'Bad Source!');
      expect(badSource.statusCode).toBe(400);
      expect(badSource.json().error.details.problems[0].field).toBe('source');
    });

    it('takes other agents through the generic mapping', async () => {
      const res = await hook(
        { sessionId: 'gem-1', hook_event_name: 'AfterTool', tool_name: 'run_shell', tool_use_id: 'g-1' },
        {},
        'gemini-cli',
      );
      expect(res.statusCode).toBe(200);
      const s = await session('gem-1');
      expect(s).toMatchObject({ source: 'gemini-cli', tool_calls: 1 });
    });

    it('answers 404 for an unknown session', async () => {
      const res = await t.app.inject({ url: '/sessions/none-such' });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    });
  });
});
