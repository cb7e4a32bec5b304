// What `hookd emit` does with the spool, run in this process (runEmit, the function the
// command runs) against real hookd servers on a real port: the same checks as spawning an
// emit process per event, at a fraction of the time. test/cli/emit.test.ts keeps the
// process-level checks (stdin, silence, exit codes, the bundle).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import { createEmitLog } from '../../src/modules/emit/emit-log.ts';
import { runEmit } from '../../src/modules/emit/emit-service.ts';
import { openSink } from '../../src/runtime/emit-sink.ts';
import { emitSettings } from '../../src/modules/emit/emit-settings.ts';
import { replaySpool } from '../../src/modules/emit/spool.ts';
import { buildApp } from '../../src/http/app.ts';
import { openRuntime, type Runtime } from '../../src/runtime/runtime.ts';
import { freePort } from '../support/postgres-cluster.ts';
import { createTestDatabase, describeEachDialect } from '../support/test-database.ts';

const homes: string[] = [];
afterAll(() => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});
const newHome = () => {
  const home = mkdtempSync(join(tmpdir(), 'hookd-emit-spool-'));
  homes.push(home);
  return home;
};
const spoolOf = (home: string) =>
  existsSync(join(home, 'spool.jsonl')) ? readFileSync(join(home, 'spool.jsonl'), 'utf8').split('\n').filter(Boolean) : [];
const logOf = (home: string) => (existsSync(join(home, 'emit.log')) ? readFileSync(join(home, 'emit.log'), 'utf8') : '');

/** One `hookd emit` of `payload`, as the command runs it, with `env` as its whole environment. */
async function emit(payload: string, env: Record<string, string>): Promise<void> {
  const settings = emitSettings(env);
  await runEmit(payload, { source: 'claude-code', settings, env, log: createEmitLog(settings.home, [settings.token]), openSink });
}

/** A hookd server on `port` over the database at `url`, in this process. */
async function serve(url: string, port: number): Promise<{ app: FastifyInstance; runtime: Runtime; stop(): Promise<void> }> {
  const runtime = await openRuntime(loadConfig({ HOOKD_HOME: '/nonexistent', HOOKD_DATABASE_URL: url }));
  const app = await buildApp(runtime.services);
  await app.listen({ host: '127.0.0.1', port });
  return {
    app,
    runtime,
    async stop() {
      await app.close();
      await runtime.services.close();
    },
  };
}

const payload = (session: string, i: number) =>
  JSON.stringify({ session_id: session, hook_event_name: 'PostToolUse', tool_name: 'Read', tool_use_id: `tu-${i}` });

describeEachDialect('hookd emit and its spool', (dialect) => {
  it('spools while the server is down, replays on the next emit and on a flush: none lost, none twice', async () => {
    const db = await createTestDatabase(dialect);
    const port = await freePort();
    const home = newHome();
    const env = { HOOKD_HOME: home, HOOKD_URL: `http://127.0.0.1:${port}` };
    try {
      await Promise.all([0, 1, 2, 3].map((i) => emit(payload('down-1', i), env)));
      expect(spoolOf(home)).toHaveLength(4);
      expect(logOf(home)).toMatch(/unreachable: .*ECONNREFUSED.*spooled to/);
      // The spool is on disk as well: a secret is redacted before it is spooled, and the
      // stored event still says so once replayed.
      const secret = 'ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
      await emit(JSON.stringify({ session_id: 'down-2', hook_event_name: 'UserPromptSubmit', prompt: `push with ${secret}` }), env);
      expect(spoolOf(home)).toHaveLength(5);
      expect(readFileSync(join(home, 'spool.jsonl'), 'utf8')).not.toContain(secret);

      const server = await serve(db.url, port);
      await emit(payload('down-1', 4), env);
      expect(spoolOf(home)).toEqual([]);
      expect(logOf(home)).toMatch(/spool: replayed 5 events/);
      const eventsOf = async (app: FastifyInstance, session: string) =>
        (await app.inject({ url: `/events?session_id=${session}&limit=1000` })).json().items as Record<string, any>[];
      expect((await eventsOf(server.app, 'down-1')).map((e) => e.data.tool_use_id).sort()).toEqual([
        'tu-0',
        'tu-1',
        'tu-2',
        'tu-3',
        'tu-4',
      ]);
      expect((await eventsOf(server.app, 'down-2')).map((e) => e.data)).toEqual([
        expect.objectContaining({ prompt: 'push with [REDACTED:github_token]', _hookd: expect.objectContaining({ redactions: 1 }) }),
      ]);

      await server.stop();
      await Promise.all([5, 6].map((i) => emit(payload('down-1', i), env)));
      const spooled = spoolOf(home);
      expect(spooled).toHaveLength(2);
      const again = await serve(db.url, port);
      try {
        const flush = async () => {
          const settings = emitSettings(env);
          const sink = await openSink(settings, env);
          try {
            return await replaySpool(home, sink, { log: () => {} });
          } finally {
            await sink.close();
          }
        };
        expect(await flush()).toMatchObject({ sent: 2, failed: 0, dead: 0, invalid: 0, kept: 0 });
        // Replaying the same lines again (as a crashed replayer's leftovers would be) adds nothing.
        writeFileSync(join(home, 'spool.jsonl'), `${spooled.join('\n')}\n`);
        expect(await flush()).toMatchObject({ sent: 2, kept: 0 });
        const events = await eventsOf(again.app, 'down-1');
        expect(events).toHaveLength(7);
        expect(new Set(events.map((e) => e.event_id)).size).toBe(7);
        expect(spoolOf(home)).toEqual([]);
      } finally {
        await again.stop();
      }
    } finally {
      await db.cleanup();
    }
  });
});

describe('hookd emit into the local SQLite file', () => {
  it('applies the capture policy before writing the file: HOOKD_CAPTURE is read like the server reads it', async () => {
    const secret = 'ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
    const input = JSON.stringify({ session_id: 'cap-1', hook_event_name: 'UserPromptSubmit', prompt: `push with ${secret}` });
    const stored = (home: string) => {
      const db = new Database(join(home, 'hookd.db'), { readonly: true });
      try {
        return (db.prepare('SELECT data FROM events').get() as { data: string }).data;
      } finally {
        db.close();
      }
    };
    const redacted = newHome();
    await emit(input, { HOOKD_HOME: redacted });
    expect(stored(redacted)).not.toContain(secret);
    expect(JSON.parse(stored(redacted))).toMatchObject({ prompt: 'push with [REDACTED:github_token]', _hookd: { redactions: 1 } });
    const metadata = newHome();
    await emit(input, { HOOKD_HOME: metadata, HOOKD_CAPTURE: 'metadata' });
    expect(JSON.parse(stored(metadata)).prompt).toEqual({ omitted: true, bytes: expect.any(Number) });
    expect(logOf(redacted) + logOf(metadata)).toBe('');
  });

  it('refuses a payload nested thousands of levels deep at once, naming it, instead of overflowing', async () => {
    const home = newHome();
    const deep = `{"session_id":"deep-1","hook_event_name":"Stop","x":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`;
    await emit(deep, { HOOKD_HOME: home });
    expect(logOf(home)).toMatch(
      /stdin x(\.a)+: is nested deeper than 128 levels \(HOOKD_MAX_DATA_DEPTH\); every hookd refuses it; nothing stored/,
    );
    expect(logOf(home)).not.toMatch(/Maximum call stack/);
    expect(spoolOf(home)).toEqual([]);
  });
});
