import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, JSON_HEADERS, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

/** Sessions and tool calls take on the task_id their events carry; every task a session touched is kept. */
describeEachDialect('the tasks sessions worked on', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const base = Date.parse('2026-12-01T09:00:00Z');
  const event = (n: number, type: string, data: Record<string, unknown>, task?: string) => ({
    event_type: type,
    event_id: `st-${n}`,
    session_id: 'worker-1',
    source: 'claude-code',
    timestamp: base + n * 1000,
    ...(task ? { task_id: task } : {}),
    data,
  });
  const send = async (events: object[]) => {
    const res = await t.app.inject({ method: 'POST', url: '/events/batch', headers: JSON_HEADERS, payload: JSON.stringify(events) });
    expect(res.statusCode).toBe(202);
  };
  const session = async () => (await t.app.inject({ url: '/sessions/worker-1' })).json() as Record<string, any>;

  it('keeps the latest task as the session’s, each call’s task, and every task touched', async () => {
    await send([
      event(0, 'session_started', {}, 'ENG-1'),
      event(1, 'tool_execution_started', { tool_name: 'Bash', tool_use_id: 'c1' }),
      event(2, 'tool_execution_completed', { tool_name: 'Bash', tool_use_id: 'c1' }),
    ]);
    // A later batch: the call names its task itself; a task named earlier but out of order does not win.
    await send([
      event(5, 'tool_execution_started', { tool_name: 'Edit', tool_use_id: 'c2' }, 'ENG-2'),
      event(6, 'tool_execution_completed', { tool_name: 'Edit', tool_use_id: 'c2' }),
      event(3, 'prompt_submitted', { prompt: 'late' }, 'ENG-1'),
    ]);
    const s = await session();
    expect(s.task_id).toBe('ENG-2');
    const calls = Object.fromEntries(
      (s.tool_uses as { tool_use_id: string; task_id: string | null }[]).map((u) => [u.tool_use_id, u.task_id]),
    );
    expect(calls).toEqual({ c1: 'ENG-1', c2: 'ENG-2' });
    expect(s.tasks).toEqual([
      { task_id: 'ENG-1', first_at: new Date(base).toISOString(), last_at: new Date(base + 3000).toISOString(), events: 2 },
      { task_id: 'ENG-2', first_at: new Date(base + 5000).toISOString(), last_at: new Date(base + 5000).toISOString(), events: 1 },
    ]);
    // A rebuild from the stored events gives the same rows back.
    expect(await t.runtime.services.sessionMaintenance.rebuild({ sessionId: 'worker-1' })).toMatchObject({ changed: 0 });
    expect(await session()).toEqual(s);
  });
});
