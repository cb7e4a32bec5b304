// The recorded Claude Code session through hooks installed the default way, which Claude
// Code runs asynchronously: each started a few ms after the last, none waited for, so
// they run side by side. The session must come out exactly as a one-by-one replay makes
// it, into the local file, to a running server, and to a server that is down until the end.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startHookd, stopAllHookd, type HookdProcess } from '../support/hookd-process.ts';
import { createTestDatabase } from '../support/test-database.ts';

const ROOT = resolve(import.meta.dirname, '../..');
// What `hookd install claude-code` registers, run through /bin/sh as Claude Code does.
const HOOK = `'${ROOT}/node_modules/node/bin/node' '${ROOT}/dist/cli/main.js' emit`;
const LINES = readFileSync(new URL('../fixtures/claude-code/session-fix-rounding.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter(Boolean);
const SESSION = '7f3c2a9e-1b4d-4c8e-9a51-2d6f0e8b1c34';
const STAGGER_MS = 25;

const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  await stopAllHookd();
  for (const undo of cleanups.splice(0).reverse()) await undo();
});
const tempHome = () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookd-async-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

/** Starts every hook STAGGER_MS after the last without waiting; resolves when all have exited. */
async function fireAsync(env: Record<string, string>): Promise<{ code: number | null; output: string }[]> {
  const runs: Promise<{ code: number | null; output: string }>[] = [];
  for (const line of LINES) {
    const child = spawn('/bin/sh', ['-c', HOOK], { env: { PATH: process.env.PATH ?? '', ...env } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdin.end(`${line}\n`);
    runs.push(new Promise((done) => child.on('close', (code) => done({ code, output }))));
    await new Promise((r) => setTimeout(r, STAGGER_MS));
  }
  return Promise.all(runs);
}

async function sessionOf(server: HookdProcess): Promise<Record<string, any>> {
  const res = await fetch(`${server.url}/sessions/${SESSION}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, any>;
}

/** What the sequential replay gives (test/cli/emit.test.ts): the recorded session, ended. */
function expectRecordedSession(s: Record<string, any>): void {
  expect(s).toMatchObject({
    status: 'ended',
    end_reason: 'prompt_input_exit',
    events: LINES.length,
    prompts: 1,
    tool_calls: 7,
    failures: 1,
    subagents: 1,
    idle_since: null,
    project: 'billing',
  });
  const uses = s.tool_uses as Record<string, any>[];
  expect(uses.map((u) => u.status).sort()).toEqual(['failed', ...Array(6).fill('succeeded')]);
  for (const u of uses) expect(u.started_at !== null && u.ended_at !== null, u.tool_use_id).toBe(true);
  expect(s.agents).toEqual([expect.objectContaining({ agent_id: 'agent_9b1', agent_type: 'Explore', status: 'finished' })]);
  // Event time is when each hook was started: the events come back in the order they were fired.
  const fired = LINES.map((l) => (JSON.parse(l) as { hook_event_name: string }).hook_event_name);
  const stored = [...(s.recent_events as Record<string, any>[])].reverse().map((e) => e.data.hook_event_name);
  expect(stored).toEqual(fired.slice(-stored.length));
}

const silent = (runs: { code: number | null; output: string }[]) => expect(runs.filter((r) => r.code !== 0 || r.output !== '')).toEqual([]);

describe('asynchronous hooks replaying the recorded session', () => {
  it('into the local SQLite file', async () => {
    const home = tempHome();
    silent(await fireAsync({ HOOKD_HOME: home }));
    expect(existsSync(join(home, 'emit.log')) ? readFileSync(join(home, 'emit.log'), 'utf8') : '').toBe('');
    const server = await startHookd({ env: { HOOKD_DATABASE_URL: `sqlite:${join(home, 'hookd.db')}` } });
    expectRecordedSession(await sessionOf(server));
  }, 90_000);

  it('to a running server on PostgreSQL, and to one that is down until the session is over', async () => {
    const db = await createTestDatabase('postgres');
    cleanups.push(() => db.cleanup());
    const up = await startHookd({ env: { HOOKD_DATABASE_URL: db.url } });
    silent(await fireAsync({ HOOKD_HOME: tempHome(), HOOKD_URL: up.url }));
    expectRecordedSession(await sessionOf(up));

    // The server is down: every hook spools; once it is back, the next hook delivers them.
    const other = await createTestDatabase('sqlite');
    cleanups.push(() => other.cleanup());
    const home = tempHome();
    const down = 'http://127.0.0.1:9';
    silent(await fireAsync({ HOOKD_HOME: home, HOOKD_URL: down, HOOKD_EMIT_TIMEOUT_MS: '500' }));
    expect(readFileSync(join(home, 'spool.jsonl'), 'utf8').split('\n').filter(Boolean)).toHaveLength(LINES.length);
    const back = await startHookd({ env: { HOOKD_DATABASE_URL: other.url } });
    const flush = spawn('/bin/sh', ['-c', HOOK], { env: { PATH: process.env.PATH ?? '', HOOKD_HOME: home, HOOKD_URL: back.url } });
    flush.stdin.end(JSON.stringify({ session_id: 'after-outage', hook_event_name: 'SessionStart' }));
    await new Promise((done) => flush.on('close', done));
    expectRecordedSession(await sessionOf(back));
  }, 120_000);
});
