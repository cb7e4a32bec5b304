// Tokens from Claude Code's transcript: the real `bin/hookd emit` gets a Stop naming a
// transcript, starts its detached reader (`hookd emit-usage`), and the reader's usage
// events are read back from a server, or counted as a fake server receives them.
import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HOOKD_BIN, startHookd, stopAllHookd } from '../support/hookd-process.ts';

const SESSION = '5e55a1b2-7c3d-4e9f-8a01-b2c3d4e5f607';
const fixture = (name: string) => join(import.meta.dirname, '../fixtures/claude-code-transcript', name);

const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  await stopAllHookd();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function emit(payload: unknown, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(HOOKD_BIN, ['emit'], { env: { PATH: process.env.PATH ?? '', ...env } });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stdin.end(JSON.stringify(payload));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

const stop = (transcript: string, session = SESSION, hook = 'Stop') => ({
  session_id: session,
  transcript_path: transcript,
  cwd: '/home/ana/src/billing',
  permission_mode: 'default',
  hook_event_name: hook,
  stop_hook_active: false,
});

const logOf = (home: string) => (existsSync(join(home, 'emit.log')) ? readFileSync(join(home, 'emit.log'), 'utf8') : '');

/** Polls `check` until it returns something other than undefined or false, for at most `ms`. */
async function until<T>(what: string, check: () => T | undefined | false, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The reader's files under $HOOKD_HOME/transcripts: its state, and a lock or note while one runs. */
const readerFiles = (home: string) => (existsSync(join(home, 'transcripts')) ? readdirSync(join(home, 'transcripts')) : []);
const stateOf = (home: string) => {
  const name = readerFiles(home).find((n) => n.endsWith('.json'));
  return name ? (JSON.parse(readFileSync(join(home, 'transcripts', name), 'utf8')) as { offset: number; reported: string[] }) : undefined;
};
/** The reader has read up to `offset` and let go of the transcript. */
const readUpTo = (home: string, offset: number) =>
  until(
    `the reader to reach byte ${offset}`,
    () => stateOf(home)?.offset === offset && !readerFiles(home).some((n) => n.endsWith('.lock')),
  );

const figures = (s: Record<string, unknown>) => ({
  input_tokens: s.input_tokens,
  output_tokens: s.output_tokens,
  cache_read_tokens: s.cache_read_tokens,
  cache_creation_tokens: s.cache_creation_tokens,
  cost_usd: Math.round((s.cost_usd as number) * 1e9) / 1e9,
  unpriced_tokens: s.unpriced_tokens,
});
// claude-sonnet-4-5: $3 input, $15 output, $0.30 cache read, $3.75 cache write per million.
const cost = (input: number, output: number, read: number, write: number) =>
  Math.round((input * 3 + output * 15 + read * 0.3 + write * 3.75) * 1e3) / 1e9;

describe('hookd emit: tokens from the Claude Code transcript', () => {
  it('reports each request once, with its last line, then only whole lines appended since', async () => {
    const home = tempDir('hookd-transcript-home-');
    const transcript = join(tempDir('hookd-transcript-'), `${SESSION}.jsonl`);
    copyFileSync(fixture('session.jsonl'), transcript);
    const env = { HOOKD_HOME: home };

    expect(await emit(stop(transcript), env)).toEqual({ code: 0, output: '' });
    // The hook is done (its pipes closed) while the reader it started has not read yet:
    // the agent never waits for the read.
    expect(stateOf(home)).toBeUndefined();
    await readUpTo(home, statSync(transcript).size);
    // The malformed line is the one thing worth a line; the <synthetic> one is skipped quietly.
    expect(logOf(home)).toMatch(
      /^\S+ pid=\d+ transcript \S+ of session 5e55a1b2\S*: 3 requests reported; skipped 1 lines that are not JSON\n$/,
    );

    const server = await startHookd({ env: { HOOKD_DATABASE_URL: `sqlite:${join(home, 'hookd.db')}` } });
    const session = async () => (await (await fetch(`${server.url}/sessions/${SESSION}`)).json()) as Record<string, unknown>;
    // Request A streamed three lines (output 5, 60, 180): counted once, with 180.
    expect(figures(await session())).toEqual({
      input_tokens: 1000 + 200 + 300,
      output_tokens: 180 + 40 + 90,
      cache_read_tokens: 20000 + 23000 + 23500,
      cache_creation_tokens: 3000 + 500,
      cost_usd: cost(1500, 310, 66500, 3500),
      unpriced_tokens: 0,
    });
    const events = (await (await fetch(`${server.url}/events?session_id=${SESSION}&event_type=usage_reported`)).json()) as {
      items: { event_id: string; timestamp: string; data: Record<string, unknown> }[];
    };
    const usage = events.items.sort((a, b) => a.event_id.localeCompare(b.event_id));
    expect(usage.map((e) => [e.event_id, e.data.prompt_id, e.data.output_tokens, e.timestamp])).toEqual([
      ['transcript:req_011A', 'p-1', 180, '2026-12-01T09:00:03.400Z'],
      ['transcript:req_011B', 'p-1', 40, '2026-12-01T09:00:06.000Z'],
      ['transcript:req_011C', 'p-2', 90, '2026-12-01T09:01:05.000Z'],
    ]);
    // Counts, ids, model and path: never what was said.
    expect(Object.keys(usage[0]!.data).sort()).toEqual(
      [
        '_hookd',
        'cache_creation_tokens',
        'cache_read_tokens',
        'hook_event_name',
        'input_tokens',
        'model',
        'origin',
        'output_tokens',
        'prompt_id',
        'request_id',
        'session_id',
        'transcript_path',
      ].sort(),
    );
    expect(usage[0]!.data).toMatchObject({ origin: 'transcript', request_id: 'req_011A', model: 'claude-sonnet-4-5-20250929' });

    // One more prompt and request, then a line Claude Code is still writing.
    const before = statSync(transcript).size;
    appendFileSync(transcript, readFileSync(fixture('appended.jsonl')));
    const whole = readFileSync(fixture('appended.jsonl'), 'utf8').lastIndexOf('\n') + 1;
    expect(await emit(stop(transcript), env)).toEqual({ code: 0, output: '' });
    await readUpTo(home, before + whole);
    expect(logOf(home)).toMatch(/1 requests reported; a half-written last line \(\d+ bytes\) waits for the next read\n$/);
    const withD = { input: 1500 + 400, output: 310 + 70, read: 66500 + 24000, write: 3500 + 1000 };
    expect(figures(await session())).toMatchObject({
      input_tokens: withD.input,
      output_tokens: withD.output,
      cache_read_tokens: withD.read,
      cache_creation_tokens: withD.write,
      cost_usd: cost(withD.input, withD.output, withD.read, withD.write),
      unpriced_tokens: 0,
    });

    // The line finished, the session ends: its request counts now, and only it.
    appendFileSync(transcript, readFileSync(fixture('appended-rest.jsonl')));
    expect(await emit(stop(transcript, SESSION, 'SessionEnd'), env)).toEqual({ code: 0, output: '' });
    await readUpTo(home, statSync(transcript).size);
    const s = figures(await session());
    expect([s.input_tokens, s.output_tokens, s.cache_read_tokens]).toEqual([withD.input + 500, withD.output + 10, withD.read + 24500]);
    expect(stateOf(home)!.reported).toEqual(['A', 'B', 'C', 'D', 'E'].map((x) => `msg_01${x}:req_011${x}`));
  }, 90_000);

  it('leaves a missing transcript to a line in emit.log: tokens unknown, the hook silent', async () => {
    const home = tempDir('hookd-transcript-home-');
    const gone = join(tempDir('hookd-transcript-'), 'gone.jsonl');
    expect(await emit(stop(gone, 'missing-1'), { HOOKD_HOME: home })).toEqual({ code: 0, output: '' });
    expect(logOf(home)).toMatch(/^\S+ pid=\d+ tokens unknown for session missing-1: the transcript \S+gone\.jsonl does not exist\n$/);
    expect(readerFiles(home)).toEqual([]);
  }, 30_000);

  it('reports nothing twice when a second Stop comes while the first reader runs', async () => {
    // A fake hookd: it records what arrives and holds its answer to the usage events
    // until told, so the first reader is still at work (holding the lock) when the second starts.
    const received: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', async () => {
        const payload = JSON.parse(body) as { hook_event_name?: string };
        if (payload.hook_event_name === 'hookd.usage') {
          received.push(String(req.headers['x-hookd-event-id']));
          await held;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const home = tempDir('hookd-transcript-home-');
      const transcript = join(tempDir('hookd-transcript-'), `${SESSION}.jsonl`);
      copyFileSync(fixture('session.jsonl'), transcript);
      const env = {
        HOOKD_HOME: home,
        HOOKD_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        HOOKD_EMIT_TIMEOUT_MS: '20000',
      };

      expect(await emit(stop(transcript), env)).toEqual({ code: 0, output: '' });
      await until('the first usage event', () => received.length === 1);
      appendFileSync(transcript, readFileSync(fixture('appended.jsonl')));
      expect(await emit(stop(transcript), env)).toEqual({ code: 0, output: '' });
      // The second reader left its note and found the transcript taken.
      await until('the second reader to be turned away', () => readerFiles(home).some((n) => n.endsWith('.again')));
      expect(readerFiles(home).filter((n) => n.endsWith('.lock'))).toHaveLength(1);
      release();

      // The first reader reads again for the second Stop: the appended request comes too.
      const whole = readFileSync(fixture('session.jsonl')).length + readFileSync(fixture('appended.jsonl'), 'utf8').lastIndexOf('\n') + 1;
      await readUpTo(home, whole);
      expect(readerFiles(home).filter((n) => !n.endsWith('.json'))).toEqual([]);
      expect(received.sort()).toEqual(['transcript:req_011A', 'transcript:req_011B', 'transcript:req_011C', 'transcript:req_011D']);
      expect(logOf(home)).not.toMatch(/spool|failed|unknown/);
    } finally {
      release();
      await new Promise((resolve) => server.close(resolve));
    }
  }, 90_000);
});
