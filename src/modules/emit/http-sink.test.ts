import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapturedEvent } from './captured-event.ts';
import { parseReply, postJson } from './emit-client.ts';
import { emitSettings } from './emit-settings.ts';
import { classify, httpSink } from './http-sink.ts';

interface Seen {
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const seen: Seen[] = [];
// Answers by the session id in the body: `status-503`, `chunked`, `slow`, else 200 `{}`.
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, body });
      const session = (JSON.parse(body) as { session_id: string }).session_id;
      if (session === 'slow') return;
      const status = /^status-(\d+)$/.exec(session);
      if (status) {
        res.writeHead(Number(status[1]), { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ error: { code: 'validation_failed', message: 'session_id: too odd' } }));
      }
      if (session === 'chunked') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"a"');
        return setTimeout(() => res.end(':1}'), 20);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const event = (session: string, context = {}): CapturedEvent => ({
  source: 'claude-code',
  event_id: `id-${session}`,
  timestamp: 1_800_000_000_123,
  context,
  user: 'ana',
  host: 'laptop',
  payload: { session_id: session, hook_event_name: 'Stop', text: 'café ☕' },
});

describe('postJson', () => {
  it('posts the body as UTF-8 with the headers, and reads a content-length or chunked reply', async () => {
    expect(
      await postJson(new URL(`${base}/hooks/claude-code?x=1`), '{"session_id":"ok","t":"☕"}', { 'x-hookd-project': 'café' }, 2000),
    ).toEqual({ status: 200, body: '{}' });
    const request = seen.at(-1)!;
    expect(request.url).toBe('/hooks/claude-code?x=1');
    expect(request.body).toBe('{"session_id":"ok","t":"☕"}');
    expect(request.headers['x-hookd-project']).toBe('café');
    expect(await postJson(new URL(`${base}/x`), '{"session_id":"chunked"}', {}, 2000)).toEqual({ status: 200, body: '{"a":1}' });
  });

  it('rejects when no reply comes in time, or nobody listens', async () => {
    const started = performance.now();
    await expect(postJson(new URL(`${base}/x`), '{"session_id":"slow"}', {}, 200)).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    expect(performance.now() - started).toBeLessThan(1500);
    const closed = createTcpServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    closed.close();
    await expect(postJson(new URL(`http://127.0.0.1:${port}/x`), '{}', {}, 1000)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('parses replies only once they are whole', () => {
    const reply = Buffer.from('HTTP/1.1 503 Service Unavailable\r\ncontent-length: 5\r\n\r\nbusy!');
    expect(parseReply(reply.subarray(0, 40), false)).toBeNull();
    expect(parseReply(reply, false)).toEqual({ status: 503, body: 'busy!' });
    expect(parseReply(Buffer.from('HTTP/1.1 200 OK\r\n\r\nuntil close'), true)).toEqual({ status: 200, body: 'until close' });
  });
});

describe('httpSink', () => {
  it('sends the X-Hookd-* headers and the bearer token, and stops at the first retry', async () => {
    seen.length = 0;
    const sink = httpSink({ url: `${base}/`, token: 'tok_secret', timeoutMs: 2000 });
    const results = await sink.send([
      event('a', { project: 'billing', terminal: 'tmux' }),
      event('status-400'),
      event('status-503'),
      event('b'),
    ]);
    expect(results).toEqual([
      { status: 'sent' },
      { status: 'failed', reason: `${base} answered 400: validation_failed: session_id: too odd` },
      { status: 'retry', reason: `${base} answered 503: validation_failed: session_id: too odd` },
    ]);
    expect(seen).toHaveLength(3);
    expect(seen[0]!.url).toBe('/hooks/claude-code');
    expect(seen[0]!.headers).toMatchObject({
      authorization: 'Bearer tok_secret',
      'x-hookd-event-id': 'id-a',
      'x-hookd-timestamp': '1800000000123',
      'x-hookd-project': 'billing',
      'x-hookd-terminal': 'tmux',
      'x-hookd-user': 'ana',
      'x-hookd-host': 'laptop',
    });
    expect(seen[0]!.headers['x-hookd-git-branch']).toBeUndefined();
    expect(seen[0]!.headers['x-hookd-team']).toBeUndefined();
    expect(JSON.parse(seen[0]!.body)).toEqual(event('a').payload);
  });

  it('retries what waiting may cure, and counts a 500 and a refused payload towards giving up', () => {
    const kind = (status: number, body = '') => classify({ status, body }, 'u').status;
    expect([200, 202].map((status) => kind(status))).toEqual(['sent', 'sent']);
    expect([408, 429, 502, 503, 504, 404, 301].map((status) => kind(status))).toEqual(Array(7).fill('retry'));
    expect(kind(404, '{"error":{"code":"route_not_found","message":"no route"}}')).toBe('retry');
    expect([500, 400, 413, 415, 422, 501].map((status) => kind(status))).toEqual(Array(6).fill('failed'));
    expect(kind(404, '{"error":{"code":"session_not_found","message":"session x not found"}}')).toBe('failed');
    expect(classify({ status: 401, body: '' }, 'u')).toMatchObject({ status: 'retry', auth: true });
    expect(classify({ status: 403, body: '' }, 'u')).toMatchObject({ status: 'retry', auth: true });
  });
});

describe('emitSettings', () => {
  it('reads only HOOKD_ names and falls back on bad values with a reason', () => {
    const settings = emitSettings(
      { HOOKD_HOME: '/h', HOOKD_URL: 'http://x:1', HOOKD_TOKEN: ' t ', HOOKD_EMIT_TIMEOUT_MS: '250', DATABASE_URL: 'postgres://app' },
      '/',
    );
    expect(settings).toEqual({ home: '/h', url: 'http://x:1', token: 't', timeoutMs: 250, maxDataDepth: 128, problems: [] });
    const bad = emitSettings(
      { HOOKD_HOME: 'rel', HOOKD_URL: 'ftp://x', HOOKD_EMIT_TIMEOUT_MS: 'soon', HOOKD_MAX_DATA_DEPTH: '0' },
      '/work',
    );
    expect(bad).toMatchObject({ home: '/work/rel', url: null, timeoutMs: 1500, maxDataDepth: 128 });
    expect(bad.problems).toHaveLength(3);
    expect(emitSettings({ HOOKD_MAX_DATA_DEPTH: '16' }).maxDataDepth).toBe(16);
  });
});
