import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, JSON_HEADERS, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

describeEachDialect('sessions API', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    const e = (session: string, type: string, iso: string, extra: Record<string, unknown> = {}, data: Record<string, unknown> = {}) => ({
      session_id: session,
      event_type: type,
      timestamp: iso,
      source: 'claude-code',
      data: { cwd: '/src/shop', ...data },
      ...extra,
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/events/batch',
      headers: JSON_HEADERS,
      payload: JSON.stringify([
        e('s-active', 'prompt_submitted', '2026-11-03T10:00:03Z', { team_id: 'red' }),
        e('s-idle', 'notification', '2026-11-03T10:00:02Z', { team_id: 'blue' }, { notification_type: 'idle_prompt' }),
        e('s-ended', 'session_ended', '2026-11-03T10:00:01Z', { team_id: 'red' }, { reason: 'logout', cwd: '/src/other' }),
      ]),
    });
    expect(res.statusCode).toBe(202);
  });
  afterAll(async () => t?.close());

  const list = async (query: string, headers: Record<string, string> = {}) => {
    const res = await t.app.inject({ url: `/sessions${query}`, headers });
    expect(res.statusCode).toBe(200);
    return res.json() as { items: { session_id: string; status: string; project: string }[]; next_cursor: string | null };
  };
  const ids = (page: { items: { session_id: string }[] }) => page.items.map((s) => s.session_id);

  it('lists sessions newest activity first, filtered by status and project', async () => {
    expect(ids(await list(''))).toEqual(['s-active', 's-idle', 's-ended']);
    expect(ids(await list('?status=active'))).toEqual(['s-active']);
    expect(ids(await list('?status=idle'))).toEqual(['s-idle']);
    expect(ids(await list('?status=ended'))).toEqual(['s-ended']);
    expect(ids(await list('?status=open'))).toEqual(['s-active', 's-idle']);
    expect(ids(await list('?project=other'))).toEqual(['s-ended']);
    expect((await list('?status=ended')).items[0]).toMatchObject({ status: 'ended', project: 'other' });
  });

  it('pages with a cursor without repeating or skipping', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(`?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...ids(page));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(['s-active', 's-idle', 's-ended']);
    const bad = await t.app.inject({ url: '/sessions?cursor=bm9wZQ' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.problems[0].field).toBe('cursor');
    expect((await t.app.inject({ url: '/sessions?status=sleeping' })).statusCode).toBe(400);
  });

  it('a team- or session-bound token sees only its own sessions; others are 404', async () => {
    const tokens = t.runtime.services.tokens;
    const red = await tokens.create({ scopes: ['read'], teamId: 'red' });
    const one = await tokens.create({ scopes: ['read'], sessionId: 's-idle' });
    const auth = (token: string) => ({ authorization: `Bearer ${token}` });
    expect(ids(await list('', auth(red.token)))).toEqual(['s-active', 's-ended']);
    expect(ids(await list('', auth(one.token)))).toEqual(['s-idle']);
    expect((await t.app.inject({ url: '/sessions/s-idle', headers: auth(red.token) })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/sessions/s-active', headers: auth(one.token) })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/sessions/s-idle', headers: auth(one.token) })).statusCode).toBe(200);
    const uses = await t.app.inject({ url: '/tool-uses?session_id=s-active', headers: auth(one.token) });
    expect(uses.json().items).toEqual([]);
  });
});
