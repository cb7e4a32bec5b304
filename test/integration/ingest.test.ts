import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, JSON_HEADERS, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

describeEachDialect('ingest API', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const post = (url: string, payload: unknown) =>
    t.app.inject({ method: 'POST', url, headers: JSON_HEADERS, payload: JSON.stringify(payload) });

  it('stores one event and answers 202 in the seed format', async () => {
    const res = await post('/events', { event_type: 'session_started', session_id: 'one-1', data: { model: 'm' } });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: 1, duplicates: 0, message: 'Events accepted' });
    const list = await t.app.inject({ url: '/events?session_id=one-1' });
    const items = list.json().items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ event_type: 'session_started', session_id: 'one-1', source: 'unknown', data: { model: 'm' } });
    expect(items[0].event_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('deduplicates by (session_id, event_id) whatever the timestamp, within and across requests', async () => {
    const base = { event_type: 'x', session_id: 'dup-1', event_id: 'e-1' };
    const first = await post('/events/batch', [
      { ...base, timestamp: '2026-01-05T10:00:00.123Z', data: { n: 1 } },
      { ...base, timestamp: '2026-03-05T10:00:00Z', data: { n: 2 } },
      { ...base, event_id: 'e-2' },
    ]);
    expect(first.json()).toEqual({ accepted: 3, duplicates: 1, message: 'Events accepted' });
    // A retry in another month must not create a second row (partitioned on PostgreSQL).
    const retry = await post('/events', { ...base, timestamp: '2025-12-31T23:59:59Z', data: { n: 3 } });
    expect(retry.json()).toEqual({ accepted: 1, duplicates: 1, message: 'Events accepted' });
    const same = await post('/events', { ...base, session_id: 'dup-2' });
    expect(same.json().duplicates).toBe(0);
    const stored = (await t.app.inject({ url: '/events?session_id=dup-1' })).json().items;
    expect(stored).toHaveLength(2);
    const e1 = stored.find((e: { event_id: string }) => e.event_id === 'e-1');
    expect(e1.data).toEqual({ n: 1 });
    expect(e1.timestamp).toBe('2026-01-05T10:00:00.123Z');
  });

  it('keeps millisecond times and accepts epoch milliseconds', async () => {
    await post('/events', { event_type: 't', session_id: 'time-1', event_id: 'a', timestamp: 1767225600789 });
    await post('/events', { event_type: 't', session_id: 'time-1', event_id: 'b', timestamp: '2026-01-01T01:00:00.001+01:00' });
    const items = (await t.app.inject({ url: '/events?session_id=time-1' })).json().items;
    expect(items.map((e: { timestamp: string }) => e.timestamp).sort()).toEqual(['2026-01-01T00:00:00.001Z', '2026-01-01T00:00:00.789Z']);
  });

  it('groups concurrent requests into shared commits and answers each one', async () => {
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) => post('/events', { event_type: 'c', session_id: 'conc-1', event_id: `c-${i % 150}` })),
    );
    expect(replies.every((r) => r.statusCode === 202)).toBe(true);
    const duplicates = replies.reduce((n, r) => n + r.json().duplicates, 0);
    expect(duplicates).toBe(50);
    let count = 0;
    let cursor: string | null = null;
    do {
      const page: { items: unknown[]; next_cursor: string | null } = (
        await t.app.inject({ url: `/events?session_id=conc-1&limit=40${cursor ? `&cursor=${cursor}` : ''}` })
      ).json();
      count += page.items.length;
      cursor = page.next_cursor;
    } while (cursor);
    expect(count).toBe(150);
  });

  it('reads one event by id, 404 for an unknown one', async () => {
    await post('/events', { event_type: 'g', session_id: 'get-1', event_id: 'get-me', workflow_id: 'wf' });
    const res = await t.app.inject({ url: '/events/get-me' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ event_id: 'get-me', workflow_id: 'wf' });
    const missing = await t.app.inject({ url: '/events/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('not_found');
  });

  it('filters by type, source, workflow and time, newest first', async () => {
    const events = [1, 2, 3, 4].map((n) => ({
      event_type: n % 2 ? 'odd' : 'even',
      session_id: 'filt-1',
      source: n > 2 ? 'codex' : 'claude-code',
      workflow_id: `wf-${n}`,
      timestamp: `2026-02-0${n}T00:00:00Z`,
    }));
    await post('/events/batch', events);
    const q = async (query: string) =>
      (await t.app.inject({ url: `/events?session_id=filt-1&${query}` })).json().items.map((e: { workflow_id: string }) => e.workflow_id);
    expect(await q('')).toEqual(['wf-4', 'wf-3', 'wf-2', 'wf-1']);
    expect(await q('event_type=odd')).toEqual(['wf-3', 'wf-1']);
    expect(await q('source=codex')).toEqual(['wf-4', 'wf-3']);
    expect(await q('workflow_id=wf-2')).toEqual(['wf-2']);
    expect(await q('from=2026-02-02T00:00:00Z&to=2026-02-04T00:00:00Z')).toEqual(['wf-3', 'wf-2']);
  });
});
