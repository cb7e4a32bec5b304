import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHookd, stopAllHookd, type HookdExit, type HookdProcess } from '../support/hookd-process.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/test-database.ts';
import { startIngestLoad, type LoadReport } from './ingest-load.ts';
import { findMissingEvents } from './missing-events.ts';

const SHUTDOWN_TIMEOUT_MS = 10_000;

function exitWithin(server: HookdProcess, ms: number): Promise<HookdExit | 'timeout'> {
  return Promise.race([server.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms))]);
}

function rawPost(eventId: string): { head: string; body: string } {
  const body = JSON.stringify({ event_type: 'drain', session_id: 'drain', event_id: eventId });
  const head = `POST /events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
  return { head, body };
}

/** Splits raw HTTP/1.1 replies read off one socket into status, headers and body. */
function parseReplies(raw: string): { status: number; headers: Record<string, string>; body: string }[] {
  const replies = [];
  let rest = raw;
  while (rest.startsWith('HTTP/1.1 ')) {
    const headEnd = rest.indexOf('\r\n\r\n');
    const [statusLine, ...lines] = rest.slice(0, headEnd).split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    const bodyStart = headEnd + 4;
    replies.push({ status: Number(statusLine!.split(' ')[1]), headers, body: rest.slice(bodyStart, bodyStart + length) });
    rest = rest.slice(bodyStart + length);
  }
  return replies;
}

describeEachDialect('SIGTERM under load', (dialect) => {
  let db: TestDatabase;
  let env: Record<string, string>;
  let server: HookdProcess;
  let exit: HookdExit | 'timeout';
  let tookMs: number;
  let report: LoadReport;

  // One drain under load, observed by the tests below.
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    env = { HOOKD_DATABASE_URL: db.url, HOOKD_SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) };
    server = await startHookd({ env });
    const load = startIngestLoad({ url: server.url, clients: 20, sessionPrefix: 'term' });
    await load.waitForAcked(200);
    await new Promise((r) => setTimeout(r, 500));
    const signalled = performance.now();
    server.kill('SIGTERM');
    // Clients keep sending while the server drains: that is the race under test.
    exit = await exitWithin(server, SHUTDOWN_TIMEOUT_MS + 5_000);
    tookMs = performance.now() - signalled;
    report = await load.stop();
  });
  afterAll(async () => {
    await stopAllHookd();
    await db?.cleanup();
  });

  it('exits 0 within the shutdown timeout after draining', () => {
    expect(exit).toEqual({ code: 0, signal: null });
    expect(tookMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    const messages = server.logs().map((r) => r.msg);
    expect(messages).toContain('hookd stopped');
    expect(messages).not.toContain('shutdown timed out; exiting');
  });

  it('refuses new connections once stopped', async () => {
    // A fresh TCP connect, not fetch: its pool might still hold a socket it has not seen die.
    const outcome = await new Promise<string | undefined>((resolve) => {
      const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
    });
    expect(outcome).toBe('ECONNREFUSED');
  });

  it('stored every event it acknowledged, and answered nothing but 2xx or 503', async () => {
    expect(report.ackedEvents).toBeGreaterThan(200);
    expect(report.unexpected).toEqual([]);
    const reader = await startHookd({ env });
    const check = await findMissingEvents(reader.url, report.acked);
    expect(check.missing).toEqual([]);
    expect(check.duplicated).toEqual([]);
  });
});

describeEachDialect('SIGTERM with a request on the wire', (dialect) => {
  let db: TestDatabase;
  let env: Record<string, string>;
  let exit: HookdExit | 'timeout';
  let replies: ReturnType<typeof parseReplies>;

  // Deterministic version of the race above: a request whose headers arrived before the
  // signal must complete; one pipelined behind it on the same connection arrives during
  // the drain and must be turned away.
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    env = { HOOKD_DATABASE_URL: db.url, HOOKD_SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) };
    const server = await startHookd({ env });
    const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
    let raw = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (raw += chunk));
    const socketClosed = new Promise((r) => socket.once('close', r));
    await new Promise((r) => socket.once('connect', r));
    const first = rawPost('in-flight');
    const late = rawPost('late');
    socket.write(first.head + first.body.slice(0, -1));
    // Headers and all but the last body byte: the request has begun but cannot finish.
    await new Promise((r) => setTimeout(r, 200));
    server.kill('SIGTERM');
    // The rest is sent only once the server is draining.
    const deadline = Date.now() + 5_000;
    while (!server.logs().some((r) => r.signal === 'SIGTERM') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    socket.write(first.body.slice(-1) + late.head + late.body);
    exit = await exitWithin(server, SHUTDOWN_TIMEOUT_MS + 5_000);
    await socketClosed;
    replies = parseReplies(raw);
  });
  afterAll(async () => {
    await stopAllHookd();
    await db?.cleanup();
  });

  it('completes the in-flight request, turns the late one away, closes the connection and exits 0', async () => {
    expect(exit).toEqual({ code: 0, signal: null });
    expect(replies.map((r) => r.status)).toEqual([202, 503]);
    expect(JSON.parse(replies[0]!.body)).toEqual({ accepted: 1, duplicates: 0, message: 'Events accepted' });
    expect(replies[1]!.headers.connection).toBe('close');
    const reader = await startHookd({ env });
    expect((await fetch(`${reader.url}/events/in-flight`)).status).toBe(200);
    expect((await fetch(`${reader.url}/events/late`)).status).toBe(404);
  });

  it('answers the late request with a hookd error body and Retry-After', () => {
    const late = replies[1]!;
    expect(late.status).toBe(503);
    expect(JSON.parse(late.body)).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
    expect(late.headers['retry-after']).toMatch(/^[1-9]\d*$/);
  });
});
