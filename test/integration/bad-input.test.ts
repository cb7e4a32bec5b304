import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect } from 'node:net';
import { createTestApp, JSON_HEADERS, listen, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

describeEachDialect('bad and hostile input', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, {
      HOOKD_MAX_BATCH_EVENTS: '5',
      HOOKD_MAX_BODY_BYTES: String(4 * 1024 * 1024),
      HOOKD_REQUEST_TIMEOUT_MS: '500',
    });
  });
  afterAll(async () => t?.close());

  const post = (url: string, payload: string, headers: Record<string, string> = JSON_HEADERS) =>
    t.app.inject({ method: 'POST', url, headers, payload });
  const stored = async (session: string) => (await t.app.inject({ url: `/events?session_id=${session}` })).json().items;

  it('answers malformed JSON with 400 invalid_json', async () => {
    const res = await post('/events', '{"event_type": "x", ');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_json');
  });

  it('answers a wrong content type with 415', async () => {
    const res = await post('/events', 'event_type=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.message).toMatch(/application\/json/);
  });

  it('answers an oversized body with 413 and too many events with 413', async () => {
    const big = await post('/events', JSON.stringify({ event_type: 'x', session_id: 's', data: { s: 'x'.repeat(5 * 1024 * 1024) } }));
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('payload_too_large');
    const many = await post('/events/batch', JSON.stringify(Array.from({ length: 6 }, () => ({ event_type: 'x', session_id: 'many' }))));
    expect(many.statusCode).toBe(413);
    expect(many.json().error.message).toMatch(/at most 5 events/);
    expect(await stored('many')).toHaveLength(0);
  });

  it('refuses a whole batch when any event is invalid, listing every bad index', async () => {
    const res = await post(
      '/events/batch',
      JSON.stringify([
        { event_type: 'ok', session_id: 'atomic' },
        { event_type: 'bad' },
        { event_type: 'ok', session_id: 'atomic' },
        { event_type: 7, session_id: 'atomic' },
      ]),
    );
    expect(res.statusCode).toBe(400);
    const problems = res.json().error.details.problems;
    expect(problems).toEqual([
      { field: '[1].session_id', message: 'is required', index: 1 },
      { field: '[3].event_type', message: 'must be a string (got number)', index: 3 },
    ]);
    expect(await stored('atomic')).toHaveLength(0);
  });

  it('refuses a non-array batch and a non-object event, and takes an empty batch as nothing to store', async () => {
    expect((await post('/events/batch', '{"event_type":"x"}')).json().error.details.problems[0].field).toBe('(body)');
    const empty = await post('/events/batch', '[]');
    expect(empty.statusCode).toBe(202);
    expect(empty.json()).toEqual({ accepted: 0, duplicates: 0, message: 'No events provided' });
    expect((await post('/events', '[1,2]')).statusCode).toBe(400);
    expect((await post('/events/batch', '[1]')).json().error.details.problems[0].field).toBe('[0]');
  });

  it('refuses NUL with 400 naming the field, on every storage', async () => {
    const inData = await post('/events', JSON.stringify({ event_type: 'x', session_id: 'nul', data: { cmd: 'a\u0000b' } }));
    expect(inData.statusCode).toBe(400);
    expect(inData.json().error.details.problems[0].field).toBe('data.cmd');
    const inField = await post('/events', JSON.stringify({ event_type: 'x', session_id: 'nul\u0000' }));
    expect(inField.json().error.details.problems[0].field).toBe('session_id');
    expect(await stored('nul')).toHaveLength(0);
  });

  it('stores control characters, SQL-looking text, __proto__ keys and unicode faithfully', async () => {
    const data = {
      ctl: '\u0001\u001f\u007f\t\r\n',
      sql: "'; DROP TABLE events; --",
      __proto__: { polluted: true },
      emoji: '🦀 ünïcödé \u2028',
      nested: { constructor: { prototype: 1 } },
    };
    const payload = `{"event_type":"x","session_id":"hostile","event_id":"h1","data":${JSON.stringify(data).replace('"nested"', '"__proto__":{"polluted":true},"nested"')}}`;
    expect((await post('/events', payload)).statusCode).toBe(202);
    const [event] = await stored('hostile');
    expect(event.data.ctl).toBe(data.ctl);
    expect(event.data.sql).toBe(data.sql);
    expect(event.data.emoji).toBe(data.emoji);
    expect(Object.hasOwn(event.data, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('cuts a 1 MB field to a marked preview, stores 100-level nesting faithfully, refuses 200 levels', async () => {
    const mb = 'a'.repeat(1024 * 1024);
    expect((await post('/events', JSON.stringify({ event_type: 'x', session_id: 'big', data: { mb } }))).statusCode).toBe(202);
    const big = (await stored('big'))[0].data;
    // HOOKD_MAX_FIELD_BYTES (64 KiB by default): cut, never refused, and said so.
    expect(big.mb).toMatchObject({ truncated: true, bytes: mb.length + 2 });
    expect(JSON.stringify(big.mb).length).toBeLessThanOrEqual(64 * 1024);
    expect(big._hookd).toEqual({ truncated: ['mb'] });
    const nest = (n: number): unknown => (n === 0 ? 'leaf' : { d: nest(n - 1) });
    expect((await post('/events', JSON.stringify({ event_type: 'x', session_id: 'deep', data: nest(100) }))).statusCode).toBe(202);
    expect(JSON.stringify((await stored('deep'))[0].data)).toBe(JSON.stringify(nest(100)));
    const tooDeep = await post('/events', JSON.stringify({ event_type: 'x', session_id: 'deep2', data: nest(200) }));
    expect(tooDeep.statusCode).toBe(400);
  });

  it('refuses ancient and far-future timestamps, accepts the edges', async () => {
    for (const timestamp of ['1970-01-01T00:00:00Z', '1999-12-31T23:59:59.999Z', '9999-12-31T00:00:00Z', -5, 1e20]) {
      const res = await post('/events', JSON.stringify({ event_type: 'x', session_id: 'when', timestamp }));
      expect(res.statusCode, String(timestamp)).toBe(400);
      expect(res.json().error.details.problems[0].field).toBe('timestamp');
    }
    const edge = await post('/events', JSON.stringify({ event_type: 'x', session_id: 'when', timestamp: '2000-01-01T00:00:00.000Z' }));
    expect(edge.statusCode).toBe(202);
    expect((await stored('when'))[0].timestamp).toBe('2000-01-01T00:00:00.000Z');
  });

  it('answers unknown routes and bad query parameters with JSON 4xx', async () => {
    const missing = await t.app.inject({ url: '/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('route_not_found');
    const limit = await t.app.inject({ url: '/events?limit=5000' });
    expect(limit.statusCode).toBe(400);
    expect(limit.json().error.message).toMatch(/limit/);
    expect((await t.app.inject({ url: '/events?cursor=garbage' })).json().error.details.problems[0].field).toBe('cursor');
    expect((await t.app.inject({ url: '/events?from=soon' })).statusCode).toBe(400);
  });

  it('keeps serving after all of that', async () => {
    expect((await t.app.inject({ url: '/health' })).json().status).toBe('healthy');
    expect((await post('/events', JSON.stringify({ event_type: 'x', session_id: 'after' }))).statusCode).toBe(202);
  });

  it('answers a text/plain body 415, and times out a body that never finishes with 408', async () => {
    const plain = await post('/events', JSON.stringify({ event_type: 'x', session_id: 'plain' }), { 'content-type': 'text/plain' });
    expect(plain.statusCode).toBe(415);
    expect(plain.json().error.code).toBe('unsupported_media_type');
    const base = new URL(await listen(t));
    const started = Date.now();
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(base.port), base.hostname, () => {
        socket.write(
          'POST /events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"event_type":',
        );
      });
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
      setTimeout(() => reject(new Error('still open after 5 s')), 5000).unref();
    });
    expect(reply).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
