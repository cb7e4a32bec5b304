import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/test-database.ts';
import { createCliContext, runHookd, seedTwoSessions, type CliContext } from './cli-harness.ts';

describeEachDialect('hookd sessions', (dialect) => {
  let cli: CliContext;
  beforeAll(async () => {
    cli = await createCliContext(dialect);
    await seedTwoSessions(cli, 'cli');
  });
  afterAll(async () => cli?.close());

  it('lists sessions as a table and as the API JSON, filtered by status', async () => {
    const table = await cli.run(['sessions']);
    expect(table.code).toBe(0);
    const rows = table.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^LAST ACTIVITY\s+SESSION\s+STATUS\s+PROJECT/);
    expect(rows[1]).toMatch(/cli-1\s+active\s+billing\s+claude-code\s+0\s+1\s+1\s+3/);
    expect(rows[2]).toMatch(/cli-2\s+ended \(logout\)/);
    const json = JSON.parse((await cli.run(['sessions', '--status', 'ended', '--json'])).stdout);
    expect(json.items.map((s: { session_id: string }) => s.session_id)).toEqual(['cli-2']);
    const bad = await cli.run(['sessions', '--status', 'sleeping']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('sleeping');
  });

  it('shows one session with its tool calls, and fails clearly for an unknown one', async () => {
    const shown = await cli.run(['sessions', 'show', 'cli-1']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/model\s+claude-sonnet-4-5/);
    expect(shown.stdout).toContain('3 events, 0 prompts, 1 tool calls (1 failed)');
    expect(shown.stdout).toMatch(/Bash\s+failed\s+3000\s+npm test\s+Exit code 1/);
    const missing = await cli.run(['sessions', 'show', 'nope']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('session nope not found');
  });
});

describeEachDialect('a closed stdout', (dialect) => {
  let cli: CliContext;
  beforeAll(async () => {
    cli = await createCliContext(dialect);
    await seedTwoSessions(cli, 'pipe');
  });
  afterAll(async () => cli?.close());

  /** Runs the command with its stdout's reader gone before it writes (what `| head -1` leaves). */
  const withClosedStdout = (args: string[]) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(join(import.meta.dirname, '../../bin/hookd'), args, { env: { PATH: process.env.PATH ?? '', ...cli.env } });
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('close', (code) => resolve({ code, stderr }));
    });

  it('ends sessions, stats and install --dry-run quietly, without an EPIPE stack trace', async () => {
    for (const args of [['sessions'], ['stats', 'tools'], ['install', 'claude-code', '--dry-run', '--project', cli.home]]) {
      expect(await withClosedStdout(args), args.join(' ')).toEqual({ code: 0, stderr: '' });
    }
  });
});

it('never creates a database to read from: names the file it looked for and how to point at another', async () => {
  const home = mkdtempSync(join(tmpdir(), 'hookd-nohome-'));
  try {
    for (const args of [['sessions'], ['stats', 'tools'], ['events'], ['executions'], ['teams', 'list'], ['token', 'list']]) {
      const res = await runHookd(args, { HOOKD_HOME: home });
      expect(res.code, args.join(' ')).toBe(1);
      expect(res.stderr, args.join(' ')).toContain(`no hookd database at ${join(home, 'hookd.db')}`);
      expect(res.stderr).toMatch(/--database-url sqlite:PATH, HOOKD_DATABASE_URL or HOOKD_HOME/);
    }
    expect(readdirSync(home)).toEqual([]);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
