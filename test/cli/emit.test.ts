// `hookd emit` as Claude Code runs it: the real bin/hookd, the hook JSON on stdin, against
// the local SQLite file or a real `hookd serve` on each dialect.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { HOOKD_BIN, runHookd, startHookd, stopAllHookd, type HookdProcess } from '../support/hookd-process.ts';
import { createTestDatabase, describeEachDialect, type Dialect, type TestDatabase } from '../support/test-database.ts';

const FIXTURE = new URL('../fixtures/claude-code/session-fix-rounding.jsonl', import.meta.url);
const FIXTURE_LINES = readFileSync(FIXTURE, 'utf8').split('\n').filter(Boolean);
const FIXTURE_SESSION = '7f3c2a9e-1b4d-4c8e-9a51-2d6f0e8b1c34';
const ENDED_SESSION = {
  status: 'ended',
  end_reason: 'prompt_input_exit',
  tool_calls: 7,
  failures: 1,
  subagents: 1,
  project: 'billing',
  terminal: 'hookd-test',
};

interface EmitRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

const cleanups: (() => unknown)[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};
const database = async (dialect: Dialect): Promise<TestDatabase> => {
  const db = await createTestDatabase(dialect);
  cleanups.push(() => db.cleanup());
  return db;
};
// Tests run concurrently (each spawns dozens of processes that mostly wait), so servers
// are stopped once all are done, not after each test.
afterAll(async () => {
  await stopAllHookd();
  for (const undo of cleanups.splice(0).reverse()) await undo();
});

/** Runs `bin/hookd emit ...args` with `stdin`, in an environment made of `env` alone. */
function emit(stdin: string | Buffer, env: Record<string, string>, args: string[] = []): Promise<EmitRun> {
  const started = performance.now();
  const child = spawn(HOOKD_BIN, ['emit', ...args], { env: { PATH: process.env.PATH ?? '', TERM_PROGRAM: 'hookd-test', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - started })));
}

/** Every run exited 0 and printed nothing: Claude Code reads a hook's output. */
function expectSilent(runs: EmitRun[]): void {
  for (const run of runs) expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
}

async function emitFixture(env: Record<string, string>): Promise<void> {
  for (const line of FIXTURE_LINES) expectSilent([await emit(`${line}\n`, env)]);
}

const logOf = (home: string) => (existsSync(join(home, 'emit.log')) ? readFileSync(join(home, 'emit.log'), 'utf8') : '');
const spoolOf = (home: string) =>
  existsSync(join(home, 'spool.jsonl')) ? readFileSync(join(home, 'spool.jsonl'), 'utf8').split('\n').filter(Boolean) : [];

async function getJson(server: HookdProcess, path: string, token?: string): Promise<Record<string, any>> {
  const res = await fetch(`${server.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  expect(res.status, `GET ${path}`).toBe(200);
  return (await res.json()) as Record<string, any>;
}
const eventsOf = async (server: HookdProcess, session: string, token?: string) =>
  (await getJson(server, `/events?session_id=${session}&limit=1000`, token)).items as Record<string, any>[];

/**
 * Posts the events that emit stored, payload and X-Hookd-* headers rebuilt from them, to
 * POST /hooks/claude-code of a fresh server, and expects the same session and events:
 * emit stores exactly what the hook route stores for the same input.
 */
async function expectSameAsHookRoute(emitted: HookdProcess, dialect: Dialect): Promise<void> {
  const db = await database(dialect);
  const posted = await startHookd({ env: { HOOKD_DATABASE_URL: db.url } });
  const events = (await eventsOf(emitted, FIXTURE_SESSION)).reverse();
  expect(events).toHaveLength(FIXTURE_LINES.length);
  for (const event of events) {
    const { _hookd: context, ...payload } = event.data;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-hookd-event-id': event.event_id,
      'x-hookd-timestamp': String(Date.parse(event.timestamp)),
      'x-hookd-project': context.project,
      'x-hookd-terminal': context.terminal,
      'x-hookd-user': event.user,
      'x-hookd-host': event.host,
    };
    const res = await fetch(`${posted.url}/hooks/claude-code`, { method: 'POST', headers, body: JSON.stringify(payload) });
    expect(res.status).toBe(200);
  }
  const withoutReceipt = (items: Record<string, any>[]) => items.map(({ received_at: _, ...rest }) => rest);
  expect(withoutReceipt(await eventsOf(posted, FIXTURE_SESSION))).toEqual(withoutReceipt(await eventsOf(emitted, FIXTURE_SESSION)));
  const session = async (server: HookdProcess) => {
    const s = await getJson(server, `/sessions/${FIXTURE_SESSION}`);
    return { ...s, recent_events: withoutReceipt(s.recent_events) };
  };
  expect(await session(posted)).toEqual(await session(emitted));
}

describe.concurrent('hookd emit into the local SQLite file (no HOOKD_URL)', () => {
  it('stores the recorded session as the hook route does, printing nothing', async () => {
    const home = tempDir('hookd-emit-home-');
    await emitFixture({ HOOKD_HOME: home });
    expect(logOf(home)).toBe('');
    const server = await startHookd({ env: { HOOKD_DATABASE_URL: `sqlite:${join(home, 'hookd.db')}` } });
    const session = await getJson(server, `/sessions/${FIXTURE_SESSION}`);
    expect(session).toMatchObject({ ...ENDED_SESSION, events: FIXTURE_LINES.length, cwd: '/home/ana/src/billing' });
    expect(session.user).toBeTruthy();
    await expectSameAsHookRoute(server, 'sqlite');
    // 23 emit processes, a server and the comparison: about 12 s alone, twice that on two busy cores.
  }, 90_000);

  it('exits 0 silently on garbage stdin and says why in emit.log', async () => {
    const home = tempDir('hookd-emit-home-');
    const inputs = ['', 'not json {', '[1, 2, 3]', '"a string"', Buffer.from([0xff, 0xfe, 0x00, 0x01]), '{"hook_event_name": "Stop"}'];
    expectSilent(await Promise.all(inputs.map((input) => emit(input, { HOOKD_HOME: home }))));
    const lines = logOf(home).trim().split('\n');
    expect(lines).toHaveLength(inputs.length);
    for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z pid=\d+ /);
    expect(lines.join('\n')).toMatch(/stdin was empty/);
    expect(lines.join('\n')).toMatch(/stdin is not JSON/);
    expect(lines.join('\n')).toMatch(/not an object \(array\)/);
    // A payload the database refuses is kept, its one try counted, for the replays to set aside.
    expect(lines.join('\n')).toMatch(/validation_failed: session_id.*failed \(try 1 of 3\), spooled/);
    expect(spoolOf(home).map((l) => JSON.parse(l).attempts)).toEqual([1]);
  });

  it('reads only HOOKD_ settings: the project DATABASE_URL and STORAGE_TYPE are not its own', async () => {
    const home = tempDir('hookd-emit-home-');
    const env = { HOOKD_HOME: home, DATABASE_URL: 'postgres://app:secret@127.0.0.1:1/app', STORAGE_TYPE: 'postgres', PORT: 'not-a-port' };
    expectSilent([await emit(JSON.stringify({ session_id: 'env-1', hook_event_name: 'Stop' }), env)]);
    expect(logOf(home)).toBe('');
    const db = new Database(join(home, 'hookd.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT session_id, event_type, source FROM events').all()).toEqual([
        { session_id: 'env-1', event_type: 'agent_stopped', source: 'claude-code' },
      ]);
    } finally {
      db.close();
    }
  });

  // The capture policy of an emit into the file: test/integration/emit-spool.test.ts, in-process.

  for (const existing of [false, true])
    it(`50 emits at once on a file that ${existing ? 'already holds events' : 'does not exist yet'}: all stored, migrated once`, async () => {
      const dir = tempDir('hookd-emit-race-');
      const home = join(dir, 'home');
      const url = `sqlite:${join(dir, 'data', 'hookd.db')}`;
      const before = existing ? 1 : 0;
      if (existing)
        expectSilent([
          await emit(JSON.stringify({ session_id: 'first', hook_event_name: 'SessionStart' }), {
            HOOKD_HOME: home,
            HOOKD_DATABASE_URL: url,
          }),
        ]);
      const runs = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          emit(JSON.stringify({ session_id: `race-${i % 5}`, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_use_id: `t${i}` }), {
            HOOKD_HOME: home,
            HOOKD_DATABASE_URL: url,
            // All 50 must reach the file itself: on a busy machine their queue on the lock
            // outlasts the default budget of 1.5 s, past which they would (rightly) spool.
            HOOKD_EMIT_TIMEOUT_MS: '30000',
          }),
        ),
      );
      expectSilent(runs);
      expect(logOf(home)).toBe('');
      expect(spoolOf(home)).toEqual([]);
      // Emit stores the events only; the first read derives their sessions and tool uses.
      const listed = await runHookd(['sessions', '--json'], { HOOKD_DATABASE_URL: url });
      expect(listed.code).toBe(0);
      const items = (JSON.parse(listed.stdout) as { items: { session_id: string }[] }).items;
      expect(items.map((s) => s.session_id).sort()).toEqual([
        ...(existing ? ['first'] : []),
        'race-0',
        'race-1',
        'race-2',
        'race-3',
        'race-4',
      ]);
      const db = new Database(join(dir, 'data', 'hookd.db'), { readonly: true });
      try {
        expect(db.prepare('SELECT count(*) AS n, count(DISTINCT event_id) AS ids FROM events').get()).toEqual({
          n: 50 + before,
          ids: 50 + before,
        });
        expect(db.prepare('SELECT count(*) AS n, count(DISTINCT session_id) AS sessions FROM tool_uses').get()).toEqual({
          n: 50,
          sessions: 5,
        });
        const versions = db.prepare('SELECT version, count(*) AS n FROM schema_migrations GROUP BY version').all() as { n: number }[];
        expect(versions.length).toBeGreaterThan(0);
        expect(versions.every((v) => v.n === 1)).toBe(true);
      } finally {
        db.close();
      }
      const status = await runHookd(['migrate', 'status'], { HOOKD_DATABASE_URL: url });
      const lines = status.stdout.trim().split('\n');
      expect(new Set(lines.map((l) => l.slice(0, 4))).size).toBe(lines.length);
      for (const line of lines) expect(line).toMatch(/^\d{4}\s+\w+\s+applied\s/);
    }, 60_000);

  it('loads one bundled file with neither commander, the server, a PostgreSQL driver, better-sqlite3 (node:sqlite writes the file) nor the derivation', async () => {
    const dir = tempDir('hookd-emit-modules-');
    const hook = join(dir, 'record.mjs');
    writeFileSync(
      hook,
      `import { registerHooks } from 'node:module'; import { appendFileSync } from 'node:fs';
       registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context);
         appendFileSync(process.env.EMIT_TEST_MODULES, r.url + '\\n'); return r; } });`,
    );
    const loaded = async (name: string, env: Record<string, string>) => {
      const list = join(dir, `modules-${name}.txt`);
      expectSilent([
        await emit(JSON.stringify({ session_id: 'mods', hook_event_name: 'Stop' }), {
          ...env,
          EMIT_TEST_MODULES: list,
          NODE_OPTIONS: `--import=${pathToFileURL(hook).href}`,
        }),
      ]);
      return [...new Set(readFileSync(list, 'utf8').trim().split('\n'))];
    };
    // Every module a hook loads costs start-up: main.js, the bundle, and builtins that
    // cost nothing more (node:crypto, say, cost ~15 ms and is loaded only on use).
    const root = pathToFileURL(join(import.meta.dirname, '../..')).href;
    const expected = [`${root}/dist/cli/main.js`, `${root}/dist/emit-bundle.js`];
    const cheapBuiltins = ['node:fs', 'node:module', 'node:os', 'node:path', 'node:url'];
    for (const [name, env] of [
      ['direct', { HOOKD_HOME: join(dir, 'direct') }],
      ['http', { HOOKD_HOME: join(dir, 'http'), HOOKD_URL: 'http://127.0.0.1:9', HOOKD_EMIT_TIMEOUT_MS: '300' }],
    ] as const) {
      const urls = await loaded(name, env);
      expect(urls.filter((url) => !url.startsWith('node:')).sort()).toEqual(expected);
      for (const builtin of urls.filter((url) => url.startsWith('node:'))) expect(cheapBuiltins).toContain(builtin);
    }
    // What went into the bundle (build/bundle-emit.ts keeps packages out as imports).
    const meta = JSON.parse(readFileSync(join(import.meta.dirname, '../../dist/emit-bundle.meta.json'), 'utf8')) as {
      inputs: Record<string, unknown>;
      outputs: Record<string, { imports: { path: string }[] }>;
    };
    const inputs = Object.keys(meta.inputs);
    expect(inputs).toContain('src/runtime/sqlite-sink.ts');
    expect(inputs).toContain('src/modules/emit/http-sink.ts');
    // Emit only inserts events; deriving sessions and analytics is the next reader's work.
    expect(
      inputs.filter((input) => /^src\/(http\/|modules\/(derivation\/|sessions\/|analytics\/))/.test(input) || !input.startsWith('src/')),
    ).toEqual([]);
    expect(meta.outputs['dist/emit-bundle.js']!.imports.map((i) => i.path).filter((path) => !path.startsWith('node:'))).toEqual([]);
  });
});

describeEachDialect('hookd emit to a server (HOOKD_URL)', (dialect) => {
  describe.concurrent('each test on its own server', () => {
    const payload = (session: string, i: number) =>
      JSON.stringify({ session_id: session, hook_event_name: 'PostToolUse', tool_name: 'Read', tool_use_id: `tu-${i}` });

    it('posts the recorded session to /hooks/claude-code: the same session as posting it there', async () => {
      const db = await database(dialect);
      const server = await startHookd({ env: { HOOKD_DATABASE_URL: db.url } });
      const home = tempDir('hookd-emit-home-');
      await emitFixture({ HOOKD_HOME: home, HOOKD_URL: server.url });
      expect(logOf(home)).toBe('');
      expect(await getJson(server, `/sessions/${FIXTURE_SESSION}`)).toMatchObject({ ...ENDED_SESSION, events: FIXTURE_LINES.length });
      await expectSameAsHookRoute(server, dialect);
      // As above: 23 emit processes one after another.
    }, 90_000);

    // Spooling and replaying against a server that goes down and up: test/integration/emit-spool.test.ts, in-process.

    it('keeps events in the spool with a loud log line when HOOKD_TOKEN is wrong or missing', async () => {
      const db = await database(dialect);
      const created = await runHookd(['token', 'create', '--scope', 'ingest,read'], { HOOKD_DATABASE_URL: db.url });
      expect(created.code, created.stderr).toBe(0);
      const token = created.stdout.trim();
      const server = await startHookd({ env: { HOOKD_DATABASE_URL: db.url } });
      const home = tempDir('hookd-emit-home-');
      const wrong = 'hookd_wrong_token_0123456789';
      expectSilent([await emit(payload('auth-1', 0), { HOOKD_HOME: home, HOOKD_URL: server.url, HOOKD_TOKEN: wrong })]);
      expectSilent([await emit(payload('auth-1', 1), { HOOKD_HOME: home, HOOKD_URL: server.url })]);
      expect(spoolOf(home)).toHaveLength(2);
      const log = logOf(home);
      expect(log).toMatch(/AUTHENTICATION FAILED: HOOKD_TOKEN is wrong .*answered 401.*kept in the spool .*never dropped/);
      expect(log).toMatch(/AUTHENTICATION FAILED: HOOKD_TOKEN is missing/);
      expect(log).not.toContain(wrong);
      expect(await eventsOf(server, 'auth-1', token)).toEqual([]);

      expectSilent([await emit(payload('auth-1', 2), { HOOKD_HOME: home, HOOKD_URL: server.url, HOOKD_TOKEN: token })]);
      expect(spoolOf(home)).toEqual([]);
      expect((await eventsOf(server, 'auth-1', token)).map((e) => e.data.tool_use_id).sort()).toEqual(['tu-0', 'tu-1', 'tu-2']);
    });
  });
});

describe.concurrent('hookd emit against a misbehaving server', () => {
  let hanging: Server;
  afterAll(() => hanging?.close());

  it('gives up on a server that does not answer within HOOKD_EMIT_TIMEOUT_MS and spools', async () => {
    hanging = createServer((socket) => socket.on('error', () => {})).listen(0, '127.0.0.1');
    await new Promise((resolve) => hanging.once('listening', resolve));
    const port = (hanging.address() as { port: number }).port;
    const home = tempDir('hookd-emit-home-');
    const run = await emit(JSON.stringify({ session_id: 'slow-1', hook_event_name: 'Stop' }), {
      HOOKD_HOME: home,
      HOOKD_URL: `http://127.0.0.1:${port}`,
      HOOKD_EMIT_TIMEOUT_MS: '300',
    });
    expectSilent([run]);
    expect(run.ms).toBeLessThan(3000);
    expect(logOf(home)).toMatch(/no reply within \d+ ms.*spooled/);
    expect(spoolOf(home)).toHaveLength(1);
  });

  it('logs a payload the server refuses (4xx) with its error, and spools it with that try counted', async () => {
    const db = await database('sqlite');
    const server = await startHookd({ env: { HOOKD_DATABASE_URL: db.url } });
    const home = tempDir('hookd-emit-home-');
    expectSilent([await emit(JSON.stringify({ hook_event_name: 'Stop' }), { HOOKD_HOME: home, HOOKD_URL: server.url })]);
    expect(logOf(home)).toMatch(/answered 400: validation_failed: session_id.*failed \(try 1 of 3\), spooled/);
    expect(spoolOf(home).map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ attempts: 1, last_error: expect.stringMatching(/answered 400/) }),
    ]);
  });

  it('replays past an event the server cannot store, sets it aside after three tries, and sends it again on request', async () => {
    let accept = false;
    const received: string[] = [];
    const server = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const poison = (JSON.parse(body) as { session_id: string }).session_id === 'poison';
        if (poison && !accept) {
          res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"code":"internal_error","message":"internal error"}}');
          return;
        }
        received.push(req.headers['x-hookd-event-id'] as string);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    cleanups.push(() => server.close());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const home = tempDir('hookd-emit-home-');
    const captured = (id: string, session: string) =>
      JSON.stringify({
        source: 'claude-code',
        event_id: id,
        timestamp: Date.now(),
        context: {},
        payload: { session_id: session, hook_event_name: 'Stop' },
      });
    writeFileSync(
      join(home, 'spool.jsonl'),
      `${captured('good-1', 'fine')}\n${captured('bad-1', 'poison')}\n${captured('good-2', 'fine')}\n`,
    );
    const env = { HOOKD_HOME: home, HOOKD_URL: url };

    const first = await runHookd(['spool', 'flush'], env);
    expect(first.stdout).toMatch(/flushed 2 events to .*: 1 failed again, 0 set aside/);
    expect(first.code).toBe(1);
    expect(received).toEqual(['good-1', 'good-2']);
    for (let i = 0; i < 2; i++) await runHookd(['spool', 'flush'], env);
    expect(spoolOf(home)).toEqual([]);
    const status = await runHookd(['spool'], env);
    expect(status.stdout).toMatch(/0 events waiting/);
    expect(status.stdout).toMatch(/1 dead letters in .*spool-dead\.jsonl/);
    expect(status.stdout).toMatch(/bad-1 .*Stop .*poison .*3 .*answered 500: internal_error/);
    expect(logOf(home)).toMatch(/gave up on event bad-1 after 3 tries/);

    accept = true;
    const retried = await runHookd(['spool', 'retry', '--dead'], env);
    expect(retried.stdout).toMatch(/moved 1 dead letters back[\s\S]*flushed 1 events/);
    expect(retried.code).toBe(0);
    expect(received).toEqual(['good-1', 'good-2', 'bad-1']);
    expect((await runHookd(['spool', '--json'], env)).stdout).toMatch(/"waiting":0,.*"dead_letters":\[\]/);
  });

  it('spools within HOOKD_EMIT_TIMEOUT_MS when another writer holds the SQLite file', async () => {
    const home = tempDir('hookd-emit-home-');
    expectSilent([await emit(JSON.stringify({ session_id: 'lock-0', hook_event_name: 'SessionStart' }), { HOOKD_HOME: home })]);
    const holder = new Database(join(home, 'hookd.db'));
    holder.exec('BEGIN IMMEDIATE');
    try {
      const run = await emit(JSON.stringify({ session_id: 'lock-1', hook_event_name: 'Stop' }), {
        HOOKD_HOME: home,
        HOOKD_EMIT_TIMEOUT_MS: '300',
      });
      expectSilent([run]);
      expect(run.ms).toBeLessThan(2000);
      expect(logOf(home)).toMatch(/database is locked.*spooled/);
      expect(spoolOf(home)).toHaveLength(1);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  });
});
