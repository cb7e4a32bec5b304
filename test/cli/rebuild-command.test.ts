import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/test-database.ts';
import { createCliContext, seedTwoSessions, type CliContext } from './cli-harness.ts';

describeEachDialect('hookd rebuild', (dialect) => {
  let cli: CliContext;
  beforeAll(async () => {
    cli = await createCliContext(dialect);
    await seedTwoSessions(cli, 'rb');
  });
  afterAll(async () => cli?.close());

  const show = async (id: string) => JSON.parse((await cli.run(['sessions', 'show', id, '--json'])).stdout) as Record<string, unknown>;
  const damage = (sql: string) =>
    cli.withRuntime(async ({ db }) => {
      if (db!.kind === 'sqlite') db!.sqlite.exec(sql);
      else await db!.pool.query(sql);
    });

  it('recomputes every session and prints a summary; a second run changes nothing', async () => {
    const before = await show('rb-1');
    const run = await cli.run(['rebuild']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('rebuilt 2 sessions from 4 events (1 tool use); 0 changed, 0 removed\n');
    expect(await show('rb-1')).toEqual(before);
    const json = await cli.run(['rebuild', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ sessions: 2, removed: 0, changed: 0, events: 4, tool_uses: 1 });
  });

  it('repairs damaged rows, only the one session with --session', async () => {
    const before = await show('rb-1');
    await damage('UPDATE sessions SET failures = 0, model = NULL; DELETE FROM tool_uses');
    const one = await cli.run(['rebuild', '--session', 'rb-1', '--json']);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout)).toEqual({ sessions: 1, removed: 0, changed: 1, events: 3, tool_uses: 1 });
    const repaired = await show('rb-1');
    expect(repaired).toMatchObject({ failures: 1, model: 'claude-sonnet-4-5', tool_calls: 1 });
    expect({ ...repaired, recent_events: null }).toEqual({ ...before, recent_events: null });
    expect((await cli.run(['rebuild'])).stdout).toMatch(/; 0 changed, 0 removed/);
  });

  it('fails clearly for a session that has nothing to rebuild', async () => {
    const missing = await cli.run(['rebuild', '--session', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('hookd: session nope has no events and no row\n');
    expect(missing.stdout).toBe('');
  });
});
