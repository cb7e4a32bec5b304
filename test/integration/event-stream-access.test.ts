import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import { buildApp } from '../../src/http/app.ts';
import { openAnyRuntime } from '../../src/runtime/runtime.ts';
import { createTestApp, JSON_HEADERS, listen, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';
import { StreamClient, parseAll, lastIdIn } from '../support/sse-client.ts';

describeEachDialect('live tail: tokens, limits and shutdown', (dialect) => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp(dialect, {
      HOOKD_STREAM_POLL_MS: '100',
      HOOKD_STREAM_BUFFER_BYTES: '65536',
      HOOKD_CAPTURE: 'full',
      HOOKD_MAX_FIELD_BYTES: '1000000',
    });
    base = await listen(t);
  });
  afterAll(async () => t?.close());

  const post = async (events: Record<string, unknown>[]) => {
    const res = await t.app.inject({ method: 'POST', url: '/events/batch', headers: JSON_HEADERS, payload: JSON.stringify(events) });
    expect(res.statusCode).toBe(202);
  };

  it('drops a client that stops reading once its buffer passes the limit; it resumes with Last-Event-ID', async () => {
    const hub = t.runtime.services.stream;
    const chunks: Buffer[] = [];
    let response!: IncomingMessage;
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${base}/events/stream?session_id=slow-1`, (res) => {
        response = res;
        res.on('data', (c: Buffer) => chunks.push(c));
        resolve();
      });
      req.on('error', reject);
      req.end();
    });
    await new Promise((r) => setTimeout(r, 100));
    response.pause();
    const big = 'x'.repeat(300_000);
    const ids = Array.from({ length: 60 }, (_, i) => `slow-${i}`);
    for (let i = 0; i < ids.length; i += 10) {
      await post(ids.slice(i, i + 10).map((id) => ({ event_type: 'x', session_id: 'slow-1', event_id: id, data: { big } })));
    }
    const deadline = Date.now() + 10_000;
    while (hub.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(hub.size).toBe(0);
    const ended = new Promise((resolve) => response.on('end', resolve));
    response.resume();
    await ended;
    const text = Buffer.concat(chunks).toString();
    expect(text.trimEnd().split('\n').at(-1)).toMatch(/^: client too slow/);
    const received = parseAll(text);
    expect(received.length).toBeLessThan(60);

    const resumed = await StreamClient.open(`${base}/events/stream?session_id=slow-1`, { 'last-event-id': lastIdIn(text)! });
    try {
      const got = () => new Set([...received, ...resumed.events.map((e) => e.event.event_id)]);
      await resumed.waitFor(() => ids.every((id) => got().has(id)), 'the events missed while dropped', 10_000);
    } finally {
      resumed.close();
    }
  });

  it('takes ?access_token= on this route only; a session-bound token sees only its session, a team-bound one its team', async () => {
    const tokens = t.runtime.services.tokens;
    const read = await tokens.create({ scopes: ['read'] });
    const ingest = await tokens.create({ scopes: ['ingest'] });
    const mine = await tokens.create({ scopes: ['read'], sessionId: 'tok-mine' });
    const team = await tokens.create({ scopes: ['read'], teamId: 'blue' });
    const auth = { authorization: `Bearer ${read.token}` };

    expect((await fetch(`${base}/events/stream`)).status).toBe(401);
    expect((await fetch(`${base}/events/stream?access_token=hookd_wrong`)).status).toBe(401);
    expect((await fetch(`${base}/events/stream?access_token=${ingest.token}`)).status).toBe(403);
    expect((await fetch(`${base}/events?access_token=${read.token}`)).status).toBe(401);
    // The header wins over the query.
    (await StreamClient.open(`${base}/events/stream?access_token=x`, auth)).close();

    const all = await StreamClient.open(`${base}/events/stream?access_token=${read.token}`);
    const session = await StreamClient.open(`${base}/events/stream?access_token=${mine.token}`);
    const asking = await StreamClient.open(`${base}/events/stream?session_id=tok-other&access_token=${mine.token}`);
    const blue = await StreamClient.open(`${base}/events/stream?access_token=${team.token}`);
    try {
      for (const s of [all, session, asking, blue]) await s.waitFor(() => s.lastId !== null, 'the starting cursor');
      await t.app.inject({
        method: 'POST',
        url: '/events/batch',
        headers: { ...JSON_HEADERS, authorization: `Bearer ${ingest.token}` },
        payload: JSON.stringify([
          { event_type: 'x', session_id: 'tok-other', event_id: 'o1', team_id: 'red' },
          { event_type: 'x', session_id: 'tok-mine', event_id: 'm1', team_id: 'blue' },
          { event_type: 'x', session_id: 'tok-blue', event_id: 'o2', team_id: 'blue' },
        ]),
      });
      await all.waitForEvents(3);
      await session.waitForEvents(1);
      await blue.waitForEvents(2);
      await new Promise((r) => setTimeout(r, 300));
      expect(session.events.map((e) => e.event.event_id)).toEqual(['m1']);
      expect(blue.events.map((e) => e.event.event_id)).toEqual(['m1', 'o2']);
      expect(asking.events).toEqual([]);
    } finally {
      for (const s of [all, session, asking, blue]) s.close();
    }
  });

  it('ends open streams when the server closes, so close() does not hang', async () => {
    const own = await createTestApp(dialect);
    const ownBase = await listen(own);
    const s = await StreamClient.open(`${ownBase}/events/stream`);
    await s.waitFor(() => s.lastId !== null, 'the starting cursor');
    const started = Date.now();
    await own.close();
    expect(Date.now() - started).toBeLessThan(3000);
    await s.done;
    expect(s.text).toMatch(/: server shutting down/);
  });
});

describe('live tail on JSONL storage', () => {
  it('answers 501 like the other read routes: JSONL cannot be read back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookd-jsonl-'));
    const runtime = await openAnyRuntime(loadConfig({ HOOKD_HOME: dir, STORAGE_TYPE: 'jsonl' }));
    const app = await buildApp(runtime.services);
    try {
      const res = await app.inject({ url: '/events/stream' });
      expect(res.statusCode).toBe(501);
      expect(res.json().error.code).toBe('not_supported_by_storage');
    } finally {
      await app.close();
      await runtime.services.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
