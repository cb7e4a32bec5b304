import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import { openRuntime } from '../../src/runtime/runtime.ts';
import { createTestApp, JSON_HEADERS, listen, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';
import { StreamClient } from '../support/sse-client.ts';

describeEachDialect('live tail: GET /events/stream', (dialect) => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp(dialect, { HOOKD_STREAM_POLL_MS: '100', HOOKD_STREAM_HEARTBEAT_MS: '300' });
    base = await listen(t);
  });
  afterAll(async () => t?.close());

  const post = async (events: Record<string, unknown>[]) => {
    const res = await t.app.inject({ method: 'POST', url: '/events/batch', headers: JSON_HEADERS, payload: JSON.stringify(events) });
    expect(res.statusCode).toBe(202);
  };

  it('sends events posted after connecting, filtered, each with a cursor id and the event as GET /events returns it', async () => {
    const s = await StreamClient.open(`${base}/events/stream?session_id=live-1&event_type=wanted`);
    try {
      await s.waitFor(() => s.lastId !== null, 'the starting cursor');
      await post([
        { event_type: 'wanted', session_id: 'live-1', event_id: 'a', source: 'claude-code', data: { tool_name: 'Bash' } },
        { event_type: 'other', session_id: 'live-1', event_id: 'b' },
        { event_type: 'wanted', session_id: 'live-2', event_id: 'c' },
        { event_type: 'wanted', session_id: 'live-1', event_id: 'd' },
      ]);
      await s.waitForEvents(2);
      expect(s.events.map((e) => e.event.event_id)).toEqual(['a', 'd']);
      const message = s.messages.find((m) => m.data)!;
      expect(message.event).toBe('message');
      expect(message.id).toMatch(/^\d+$/);
      const listed = (await t.app.inject({ url: '/events?session_id=live-1&event_type=wanted' })).json().items;
      expect(s.events.map((e) => e.event)).toEqual(listed.reverse());
      expect(s.text.startsWith('retry: ')).toBe(true);
    } finally {
      s.close();
    }
  });

  it('resumes from Last-Event-ID (or ?last_event_id=) with every event after it, none missing', async () => {
    const first = await StreamClient.open(`${base}/events/stream?session_id=resume-1`);
    const ids = Array.from({ length: 12 }, (_, i) => `r-${i}`);
    await first.waitFor(() => first.lastId !== null, 'the starting cursor');
    await post(ids.slice(0, 4).map((id) => ({ event_type: 'x', session_id: 'resume-1', event_id: id })));
    await first.waitForEvents(4);
    const cursor = first.events[1]!.id;
    first.close();
    const seenBefore = first.events.slice(0, 2).map((e) => e.event.event_id);
    // Written while no one listens: the resumed stream must still bring them.
    await post(ids.slice(4, 8).map((id) => ({ event_type: 'x', session_id: 'resume-1', event_id: id })));

    for (const how of ['header', 'query'] as const) {
      const resumed =
        how === 'header'
          ? await StreamClient.open(`${base}/events/stream?session_id=resume-1`, { 'last-event-id': cursor })
          : await StreamClient.open(`${base}/events/stream?session_id=resume-1&last_event_id=${cursor}`);
      try {
        if (how === 'header') await post(ids.slice(8).map((id) => ({ event_type: 'x', session_id: 'resume-1', event_id: id })));
        const got = () => new Set([...seenBefore, ...resumed.events.map((e) => e.event.event_id)]);
        await resumed.waitFor(() => ids.every((id) => got().has(id)), 'all 12 events');
        // Duplicates are allowed, never a gap; each carries its event_id to tell.
        expect(resumed.events.every((e) => typeof e.event.event_id === 'string')).toBe(true);
        const cursors = resumed.messages.filter((m) => m.id !== null).map((m) => Number(m.id));
        expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
        expect(cursors[0]).toBeGreaterThanOrEqual(Number(cursor));
      } finally {
        resumed.close();
      }
    }
  });

  it('keeps delivering after DELETE /sessions removed the newest events: their ids are never handed out again', async () => {
    const s = await StreamClient.open(`${base}/events/stream?source=del`);
    // A stream starts "now" once its cursor is announced; an event committed before that is history.
    await s.waitFor(() => s.lastId !== null, 'the starting cursor');
    await post([{ event_type: 'x', session_id: 'del-old', source: 'del', event_id: 'd1' }]);
    await s.waitForEvents(1);
    const removed = await t.app.inject({ method: 'DELETE', url: '/sessions/del-old' });
    expect(removed.statusCode).toBe(204);
    await post([{ event_type: 'x', session_id: 'del-new', source: 'del', event_id: 'd2' }]);
    await s.waitForEvents(2);
    expect(s.events.map((e) => e.event.event_id)).toEqual(['d1', 'd2']);
    // Cursors never go back (two events of one poll may share one: min(id, safe position)).
    expect(Number(s.events[1]!.id)).toBeGreaterThanOrEqual(Number(s.events[0]!.id));
    s.close();
  });

  it('delivers events written by another process (no wake-up from our writer) by polling', async () => {
    const s = await StreamClient.open(`${base}/events/stream?session_id=elsewhere`);
    const other = await openRuntime(loadConfig({ HOOKD_HOME: '/nonexistent', HOOKD_DATABASE_URL: t.url }), { serverThreads: false });
    try {
      await s.waitFor(() => s.lastId !== null, 'the starting cursor');
      await other.services.ingest.ingestOne({ event_type: 'x', session_id: 'elsewhere', event_id: 'from-afar' });
      await s.waitForEvents(1);
      expect(s.events[0]!.event.event_id).toBe('from-afar');
    } finally {
      s.close();
      await other.services.close();
    }
  });

  it('sends ?backlog=N recent events first, oldest first, then live ones', async () => {
    await post(
      [1, 2, 3].map((n) => ({ event_type: 'x', session_id: 'backlog-1', event_id: `b-${n}`, timestamp: `2026-03-0${n}T00:00:00Z` })),
    );
    const s = await StreamClient.open(`${base}/events/stream?session_id=backlog-1&backlog=2`);
    try {
      await s.waitForEvents(2);
      await post([{ event_type: 'x', session_id: 'backlog-1', event_id: 'b-live' }]);
      await s.waitForEvents(3);
      expect(s.events.map((e) => e.event.event_id)).toEqual(['b-2', 'b-3', 'b-live']);
    } finally {
      s.close();
    }
  });

  it('sends `: ping` heartbeats carrying the cursor, so an idle stream resumes from where it was', async () => {
    const s = await StreamClient.open(`${base}/events/stream?session_id=quiet`);
    try {
      await s.waitFor(() => s.messages.filter((m) => m.comments.includes('ping')).length >= 2, 'two heartbeats', 3000);
      expect(s.lastId).toMatch(/^\d+$/);
    } finally {
      s.close();
    }
  });

  it('answers 400 naming the field for a bad filter or cursor', async () => {
    const cases: [string, Record<string, string>, string][] = [
      ['/events/stream?session_id=', {}, 'querystring.session_id'],
      ['/events/stream?backlog=5000', {}, 'querystring.backlog'],
      ['/events/stream', { 'last-event-id': 'abc' }, 'Last-Event-ID'],
      ['/events/stream?last_event_id=-1', {}, 'last_event_id'],
      ['/events/stream?after=1.5', {}, 'after'],
    ];
    for (const [url, headers, field] of cases) {
      const res = await fetch(`${base}${url}`, { headers });
      expect(res.status, url).toBe(400);
      const body = (await res.json()) as { error: { code: string; details: { problems: { field: string }[] } } };
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.details.problems[0]!.field).toBe(field);
    }
  });

  it('is in the OpenAPI document as text/event-stream', async () => {
    const doc = (await t.app.inject({ url: '/openapi.json' })).json();
    const op = doc.paths['/events/stream'].get;
    expect(Object.keys(op.responses['200'].content)).toEqual(['text/event-stream']);
    expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['session_id', 'source', 'event_type', 'last_event_id', 'backlog', 'access_token']),
    );
  });

  if (dialect === 'postgres') {
    it('delivers a row whose lower id commits after a higher id was streamed (gap safety)', async () => {
      const watcher = await StreamClient.open(`${base}/events/stream?session_id=gap-1`);
      const dropper = await StreamClient.open(`${base}/events/stream?session_id=gap-1`);
      const late = new pg.Client({ connectionString: t.url, options: '-c search_path=hookd' });
      await late.connect();
      try {
        await Promise.all([watcher, dropper].map((s) => s.waitFor(() => s.lastId !== null, 'the starting cursor')));
        // A transaction takes the lower id and holds it, like a slow commit of another process.
        await late.query('BEGIN');
        await late.query("INSERT INTO event_keys (session_id, event_id, ts) VALUES ('gap-1', 'late', now())");
        const lowId = (
          await late.query<{ id: number }>(
            `INSERT INTO events (event_id, session_id, event_type, ts, received_at, source, data)
             VALUES ('late', 'gap-1', 'x', now(), now(), 'test', '{}') RETURNING id`,
          )
        ).rows[0]!.id;
        await post([{ event_type: 'x', session_id: 'gap-1', event_id: 'early' }]);
        await watcher.waitForEvents(1);
        await dropper.waitForEvents(1);
        const highId = (await late.query<{ id: string }>("SELECT id FROM events WHERE event_id = 'early'")).rows[0]!.id;
        expect(Number(lowId)).toBeLessThan(Number(highId));
        const cursor = dropper.lastId!;
        dropper.close();
        // Many polls pass, and the tail's stall check (1 s) asks pg_locks about the open
        // transaction, which holds a write lock on events: it must keep waiting for it.
        await new Promise((r) => setTimeout(r, 1800));
        await late.query('COMMIT');

        await watcher.waitForEvents(2);
        expect(watcher.events.map((e) => e.event.event_id)).toEqual(['early', 'late']);
        const resumed = await StreamClient.open(`${base}/events/stream?session_id=gap-1`, { 'last-event-id': cursor });
        try {
          await resumed.waitFor(() => resumed.events.some((e) => e.event.event_id === 'late'), 'the late row after resume');
        } finally {
          resumed.close();
        }
      } finally {
        await late.end();
        watcher.close();
      }
    });

    it('does not let an unrelated long transaction hold resume cursors back', async () => {
      const unrelated = new pg.Client({ connectionString: t.url });
      await unrelated.connect();
      const s = await StreamClient.open(`${base}/events/stream?session_id=long-1`);
      try {
        await unrelated.query('BEGIN');
        await unrelated.query('SELECT pg_current_xact_id()');
        await post([{ event_type: 'x', session_id: 'long-1', event_id: 'l1' }]);
        await s.waitForEvents(1);
        const id = Number((await unrelated.query<{ id: string }>("SELECT id FROM hookd.events WHERE event_id = 'l1'")).rows[0]!.id);
        // The cursor trails while the transaction might be a writer; once pg_locks shows it
        // holds no lock on events, heartbeats carry a cursor at the event.
        await s.waitFor(() => Number(s.lastId) >= id, `a cursor at ${id}`, 5000);
      } finally {
        await unrelated.query('ROLLBACK');
        await unrelated.end();
        s.close();
      }
    });
  }
});
