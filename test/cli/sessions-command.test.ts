import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/test-database.ts';
import { createCliContext, seedTwoSessions, type CliContext } from './cli-harness.ts';

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
