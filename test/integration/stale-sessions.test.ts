import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import { openRuntime } from '../../src/runtime/runtime.ts';
import { createTestApp, JSON_HEADERS, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

const HOUR = 3600_000;

describe('stale sweep settings', () => {
  it('default to 24 h and a sweep a minute; 0 turns the sweep off; nonsense is refused', () => {
    expect(loadConfig({}).sessions).toEqual({
      staleAfterMs: 24 * HOUR,
      sweepIntervalMs: 60_000,
      deriveDelayMs: 20,
      deriveBacklogMax: 20_000,
    });
    expect(loadConfig({ HOOKD_SESSION_STALE_MS: '0' }).sessions.staleAfterMs).toBe(0);
    expect(() => loadConfig({ HOOKD_SESSION_STALE_MS: '1h' })).toThrow(/HOOKD_SESSION_STALE_MS/);
    expect(() => loadConfig({ HOOKD_SESSION_SWEEP_MS: '10' })).toThrow(/HOOKD_SESSION_SWEEP_MS must be an integer >= 1000/);
  });
});

describeEachDialect('stale session sweep', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { HOOKD_SESSION_STALE_MS: String(HOUR) });
  });
  afterAll(async () => t?.close());

  const batch = async (events: unknown[]) => {
    const res = await t.app.inject({ method: 'POST', url: '/events/batch', headers: JSON_HEADERS, payload: JSON.stringify(events) });
    expect(res.statusCode).toBe(202);
  };
  const session = async (id: string) => (await t.app.inject({ url: `/sessions/${id}` })).json() as Record<string, unknown>;
  const e = (session: string, type: string, at: number, data: Record<string, unknown> = {}) => ({
    session_id: session,
    event_type: type,
    timestamp: at,
    source: 'claude-code',
    data,
  });

  it('ends only open sessions without an event for HOOKD_SESSION_STALE_MS, at their last activity', async () => {
    const now = Date.now();
    await batch([
      e('st-old', 'session_started', now - 3 * HOUR),
      e('st-old', 'prompt_submitted', now - 2 * HOUR),
      e('st-idle', 'notification', now - 2 * HOUR, { notification_type: 'idle_prompt' }),
      e('st-fresh', 'prompt_submitted', now - 10 * 60_000),
      e('st-done', 'session_ended', now - 5 * HOUR, { reason: 'logout' }),
    ]);
    const maintenance = t.runtime.services.sessionMaintenance;
    expect(await maintenance.sweepStale(now)).toBe(2);
    const old = await session('st-old');
    expect(old).toMatchObject({ status: 'ended', end_reason: 'stale', ended_at: new Date(now - 2 * HOUR).toISOString() });
    expect(old.ended_at).toBe(old.last_activity_at);
    expect(await session('st-idle')).toMatchObject({ status: 'ended', end_reason: 'stale' });
    expect(await session('st-fresh')).toMatchObject({ status: 'active', ended_at: null });
    expect(await session('st-done')).toMatchObject({ end_reason: 'logout', ended_at: new Date(now - 5 * HOUR).toISOString() });
    // Nothing left to do: a second sweep (another process, the next tick) changes nothing.
    expect(await maintenance.sweepStale(now)).toBe(0);
    const list = (await t.app.inject({ url: '/sessions?status=open' })).json().items.map((s: { session_id: string }) => s.session_id);
    expect(list).toEqual(['st-fresh']);
  });

  it('reopens a stale session on a later event, but not on a late-arriving older one', async () => {
    const stale = await session('st-old');
    await batch([
      e('st-old', 'tool_execution_completed', Date.parse(stale.last_activity_at as string) - 60_000, {
        tool_name: 'Read',
        tool_use_id: 'late',
      }),
    ]);
    expect(await session('st-old')).toMatchObject({ status: 'ended', end_reason: 'stale' });
    const touched = await t.app.inject({ method: 'POST', url: '/sessions/st-old/activity' });
    expect(touched.statusCode).toBe(200);
    expect(touched.json()).toMatchObject({ status: 'active', ended_at: null, end_reason: null });
    // A hook event reopens too, and a logout end is not a stale one: it stays.
    await batch([e('st-idle', 'prompt_submitted', Date.now())]);
    expect(await session('st-idle')).toMatchObject({ status: 'active', end_reason: null });
    await batch([e('st-done', 'prompt_submitted', Date.now())]);
    expect(await session('st-done')).toMatchObject({ status: 'ended', end_reason: 'logout' });
  });

  it('does nothing with HOOKD_SESSION_STALE_MS=0', async () => {
    const off = await createTestApp(dialect, { HOOKD_SESSION_STALE_MS: '0' });
    try {
      await off.app.inject({
        method: 'POST',
        url: '/events',
        headers: JSON_HEADERS,
        payload: JSON.stringify(e('st-ancient', 'prompt_submitted', Date.parse('2020-01-01T00:00:00Z'))),
      });
      expect(await off.runtime.services.sessionMaintenance.sweepStale()).toBe(0);
      expect((await off.app.inject({ url: '/sessions/st-ancient' })).json().status).toBe('active');
    } finally {
      await off.close();
    }
  });

  it('is swept by a long-running runtime on its own timer, which stops on close', async () => {
    const config = loadConfig({
      HOOKD_HOME: '/nonexistent-hookd-home',
      HOOKD_DATABASE_URL: t.url,
      HOOKD_SESSION_STALE_MS: String(HOUR),
      HOOKD_SESSION_SWEEP_MS: '1000',
    });
    await batch([e('st-timer', 'prompt_submitted', Date.now() - 2 * HOUR)]);
    const swept: number[] = [];
    const errors: unknown[] = [];
    const runtime = await openRuntime(config, {
      background: { onError: (_what, error) => errors.push(error), onStaleSessions: (n) => swept.push(n) },
    });
    try {
      const deadline = Date.now() + 10_000;
      while (swept.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(swept).toEqual([1]);
      expect(errors).toEqual([]);
      expect(await session('st-timer')).toMatchObject({ status: 'ended', end_reason: 'stale' });
    } finally {
      await runtime.services.close();
    }
    // Closed: no sweep runs against the closed storage, so none fails.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(errors).toEqual([]);
  });
});
