// Gemini CLI and Codex sessions through `hookd emit --source ...`, as their command hooks
// run it: the payload on stdin, into the local SQLite file, then read back from a server.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HOOKD_BIN, startHookd, stopAllHookd } from '../support/hookd-process.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/agent-sessions/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const homes: string[] = [];
afterAll(async () => {
  await stopAllHookd();
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

function emit(payload: unknown, home: string, source: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(HOOKD_BIN, ['emit', '--source', source], { env: { PATH: process.env.PATH ?? '', HOOKD_HOME: home } });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stdin.end(JSON.stringify(payload));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

describe('hookd emit for other agents', () => {
  it('pairs Gemini CLI tool calls, which carry no id, including identical and rewritten ones', async () => {
    const home = mkdtempSync(join(tmpdir(), 'hookd-emit-gemini-'));
    homes.push(home);
    const session = fixture('gemini-session.jsonl');
    const id = session[0]!.session_id as string;
    const before = session.find((e) => e.hook_event_name === 'BeforeTool')!;
    const after = session.find((e) => e.hook_event_name === 'AfterTool')!;
    const end = session.at(-1)!;
    // The same command twice, then a call whose input a hook rewrote before it ran.
    const run = [
      ...session.slice(0, -1),
      before,
      after,
      { ...before, tool_name: 'write_file', tool_input: { file_path: 'a.ts', content: 'x' } },
      { ...after, tool_name: 'write_file', tool_input: { file_path: 'a.ts', content: 'y' }, tool_response: { error: 'EACCES' } },
      end,
    ];
    for (const payload of run) expect(await emit(payload, home, 'gemini-cli')).toEqual({ code: 0, output: '' });
    expect(existsSync(join(home, 'emit.log')) ? readFileSync(join(home, 'emit.log'), 'utf8') : '').toBe('');
    // The session's end took its open calls with it.
    expect(existsSync(join(home, 'tool-calls')) ? readdirSync(join(home, 'tool-calls')) : []).toEqual([]);

    const server = await startHookd({ env: { HOOKD_DATABASE_URL: `sqlite:${join(home, 'hookd.db')}` } });
    const s = (await (await fetch(`${server.url}/sessions/${id}`)).json()) as Record<string, any>;
    expect(s).toMatchObject({ source: 'gemini-cli', status: 'ended', prompts: 1, tool_calls: 3, failures: 1 });
    const uses = s.tool_uses as Record<string, any>[];
    expect(uses.map((u) => [u.tool_name, u.status])).toEqual([
      ['run_shell_command', 'succeeded'],
      ['run_shell_command', 'succeeded'],
      ['write_file', 'failed'],
    ]);
    for (const u of uses) expect(u.started_at !== null && u.ended_at !== null).toBe(true);
    expect(new Set(uses.map((u) => u.tool_use_id)).size).toBe(3);
  }, 60_000);
});
