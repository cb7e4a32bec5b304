import { spawn } from 'node:child_process';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { freePort } from '../support/postgres-cluster.ts';
import { HOOKD_BIN, spawnHookd, startHookd, stopAllHookd, type HookdProcess } from '../support/hookd-process.ts';
import { describeEachDialect } from '../support/test-database.ts';
import { createCliContext, type CliContext } from './cli-harness.ts';

const JSON_HEADERS = { 'content-type': 'application/json' };

async function waitFor(check: () => boolean, what: string, lines: string[], timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output so far:\n${lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describeEachDialect('hookd tail', (dialect) => {
  let cli: CliContext;
  let server: HookdProcess;
  let port: number;
  const serve = async (extra: Record<string, string> = {}) =>
    startHookd({ env: { ...cli.env, HOOKD_STREAM_POLL_MS: '100', ...extra }, args: ['--port', String(port), '--log-level', 'trace'] });

  beforeAll(async () => {
    cli = await createCliContext(dialect);
    port = await freePort();
    server = await serve();
  });
  afterEach(async () => {
    if (!server.running()) server = await serve();
  });
  afterAll(async () => {
    await stopAllHookd();
    await cli?.close();
  });

  const post = async (events: Record<string, unknown>[], headers: Record<string, string> = {}) => {
    const res = await fetch(`${server.url}/events/batch`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, ...headers },
      body: JSON.stringify(events),
    });
    expect(res.status).toBe(202);
  };
  /** A stream starts "now": posts warm-up events until the tail prints one, so it is surely following. */
  const untilFollowing = async (output: string[], session: string, headers: Record<string, string> = {}) => {
    const deadline = Date.now() + 15_000;
    for (let i = 0; !output.some((line) => line.includes('warmup')); i++) {
      if (Date.now() > deadline) throw new Error(`hookd tail printed nothing:\n${output.join('\n')}`);
      await post([{ event_type: 'warmup', session_id: session, event_id: `warmup-${i}` }], headers);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const withoutWarmup = (lines: string[]) => lines.filter((line) => !line.includes('warmup'));

  it('--json prints each posted event as one JSON line, filtered, and exits 0 on SIGINT', async () => {
    const tail = spawnHookd(['tail', '--json', '--session', 'cli-tail', '--url', server.url], cli.env);
    await untilFollowing(tail.stdout, 'cli-tail');
    await post([
      { event_type: 'prompt_submitted', session_id: 'cli-tail', event_id: 't1', source: 'claude-code' },
      { event_type: 'prompt_submitted', session_id: 'elsewhere', event_id: 'x1' },
      { event_type: 'tool_execution_started', session_id: 'cli-tail', event_id: 't2', data: { tool_name: 'Bash' } },
    ]);
    await waitFor(() => withoutWarmup(tail.stdout).length >= 2, 'two lines', tail.stdout);
    const printed = withoutWarmup(tail.stdout).map((line) => JSON.parse(line) as { event_id: string; data: Record<string, unknown> });
    expect(printed.map((e) => e.event_id)).toEqual(['t1', 't2']);
    expect(printed[1]!.data).toEqual({ tool_name: 'Bash' });
    tail.child.kill('SIGINT');
    const exit = await tail.exited;
    expect(exit.code).toBe(0);
    expect(tail.stderr).toEqual([]);
  });

  it('prints time, source, session, type and tool, and resumes after the server restarts without missing an event', async () => {
    const tail = spawnHookd(['tail', '--url', server.url, '--session', 'cli-restart'], cli.env);
    await untilFollowing(tail.stdout, 'cli-restart');
    await post([
      {
        event_type: 'tool_execution_started',
        session_id: 'cli-restart',
        event_id: 'r1',
        source: 'claude-code',
        data: { tool_name: 'Bash' },
      },
    ]);
    await waitFor(() => withoutWarmup(tail.stdout).length >= 1, 'the first line', tail.stdout);
    expect(withoutWarmup(tail.stdout)[0]).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}claude-code {2}cli-restart {2}tool_execution_started {4}Bash$/,
    );

    server.kill('SIGTERM');
    await server.exited;
    // Stored while no server runs (an agent's hook writing the database itself): the
    // resumed stream must still bring it.
    await cli.withRuntime(({ services }) =>
      services.ingest.ingestOne({ event_type: 'notification', session_id: 'cli-restart', event_id: 'r2', source: 'claude-code' }),
    );
    server = await serve();
    await post([{ event_type: 'agent_stopped', session_id: 'cli-restart', event_id: 'r3', source: 'claude-code' }]);
    await waitFor(() => withoutWarmup(tail.stdout).length >= 3, 'three lines', [...tail.stdout, ...tail.stderr], 20_000);
    expect(withoutWarmup(tail.stdout).map((line) => line.split(/\s{2,}/)[3])).toEqual([
      'tool_execution_started',
      'notification',
      'agent_stopped',
    ]);
    tail.child.kill('SIGINT');
    expect((await tail.exited).code).toBe(0);
  });

  it('exits quietly when its reader goes away (`hookd tail | head -2`)', async () => {
    const pipeline = spawn(
      'bash',
      ['-c', `"${HOOKD_BIN}" tail --json --url "${server.url}" --session cli-head | head -2; echo "tail=\${PIPESTATUS[0]}"`],
      {
        env: { PATH: process.env.PATH ?? '', ...cli.env },
        // bash reads ~/.bashrc when stdin is a socket (its rshd heuristic); Node's pipes are.
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const out: string[] = [];
    const err: string[] = [];
    pipeline.stdout.on('data', (c: Buffer) => out.push(c.toString()));
    pipeline.stderr.on('data', (c: Buffer) => err.push(c.toString()));
    let exited = false;
    const done = new Promise<number | null>((resolve) => pipeline.on('exit', (code) => resolve(code)));
    void done.then(() => (exited = true));
    // Until head has its two lines and tail notices the closed pipe on the next write.
    const deadline = Date.now() + 15_000;
    for (let i = 0; !exited && Date.now() < deadline; i++) {
      await post([{ event_type: 'x', session_id: 'cli-head', event_id: `h${i}` }]);
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!exited) pipeline.kill('SIGKILL');
    expect(await done).toBe(0);
    const text = out.join('');
    expect(text.trim().split('\n')).toEqual([expect.stringContaining('"cli-head"'), expect.stringContaining('"cli-head"'), 'tail=0']);
    expect(err.join('')).toBe('');
  });

  it('uses HOOKD_TOKEN once tokens exist, explains a refusal, and a query token never reaches the log', async () => {
    const created = await cli.run(['token', 'create', '--scope', 'read']);
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    // Both tokens before the wait: a server learns of new tokens within a second, not at once.
    const ingest = { authorization: `Bearer ${(await cli.run(['token', 'create', '--scope', 'ingest'])).stdout.trim()}` };
    // Tokens are looked up per second; wait until the server demands one.
    const deadline = Date.now() + 3000;
    while ((await fetch(`${server.url}/events`)).status !== 401 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));

    const refused = spawnHookd(['tail', '--url', server.url], cli.env);
    const exit = await refused.exited;
    expect(exit.code).toBe(1);
    expect(refused.stderr.join('\n')).toMatch(/401.*HOOKD_TOKEN/);

    const tail = spawnHookd(['tail', '--json', '--url', server.url, '--session', 'cli-auth'], { ...cli.env, HOOKD_TOKEN: token });
    const browser = await fetch(`${server.url}/events/stream?session_id=cli-auth&access_token=${token}`);
    expect(browser.status).toBe(200);
    await untilFollowing(tail.stdout, 'cli-auth', ingest);
    await post([{ event_type: 'x', session_id: 'cli-auth', event_id: 'a1' }], ingest);
    await waitFor(() => withoutWarmup(tail.stdout).length >= 1, 'the event', [...tail.stdout, ...tail.stderr]);
    expect(JSON.parse(withoutWarmup(tail.stdout)[0]!).event_id).toBe('a1');
    await browser.body?.cancel();
    tail.child.kill('SIGINT');
    await tail.exited;
    const logged = [...server.lines, ...server.stderr].join('\n');
    expect(logged.length).toBeGreaterThan(0);
    expect(logged).not.toContain(token);
  });
});
