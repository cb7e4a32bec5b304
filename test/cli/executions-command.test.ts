// `hookd executions` as a user runs it: the built CLI against a database holding
// executions recorded through the service, on both dialects.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/test-database.ts';
import { createCliContext, lines, type CliContext } from './cli-harness.ts';

describeEachDialect('hookd executions', (dialect) => {
  let cli: CliContext;
  const ids: string[] = [];
  beforeAll(async () => {
    cli = await createCliContext(dialect);
    await cli.withRuntime(async (runtime) => {
      const executions = runtime.services.executions;
      const base = Date.parse('2026-11-02T09:00:00Z');
      for (let i = 0; i < 3; i++) {
        const e = await executions.create({
          hook_id: i === 2 ? 'deploy_hook' : 'status_hook',
          hook_type: 'StatusChangeHook',
          team_id: 'engineering',
          event_type: 'jira:issue_updated',
          ticket_key: `ENG-${i}`,
          started_at: base + i * 60_000,
        });
        ids.push(e.execution_id);
      }
      await executions.update(ids[0]!, { status: 'SUCCESS', completed_at: base + 1500, notification_sent: true });
      await executions.update(ids[1]!, {
        status: 'FAILED',
        completed_at: base + 60_000 + 250,
        errors: [{ message: 'Slack answered 500\nretry later' }],
      });
    });
  });
  afterAll(async () => cli?.close());

  it('lists newest first as a table, filters, and prints the API JSON with --json', async () => {
    const table = await cli.run(['executions']);
    expect(table.stderr).toBe('');
    const rows = lines(table.stdout);
    expect(rows[0]).toMatch(/^STARTED\s+EXECUTION\s+HOOK\s+TYPE\s+TEAM\s+EVENT\s+STATUS\s+TIME\s+NOTIFIED\s+FIRST ERROR$/);
    expect(rows.slice(1).map((r) => r.split(/\s{2,}/)[1])).toEqual([ids[2], ids[1], ids[0]]);
    expect(rows[2]).toMatch(/FAILED\s+250 ms\s+no\s+Slack answered 500 retry later$/);
    expect(rows[3]).toMatch(/SUCCESS\s+1\.5 s\s+yes$/);

    const failed = await cli.run(['executions', '--status', 'FAILED', '--json']);
    const page = JSON.parse(failed.stdout);
    expect(page.items.map((e: { execution_id: string }) => e.execution_id)).toEqual([ids[1]]);
    expect(page.items[0]).toMatchObject({
      hook_id: 'status_hook',
      status: 'FAILED',
      execution_time_ms: 250,
      errors: [{ message: 'Slack answered 500\nretry later' }],
    });
    const paged = await cli.run(['executions', '--hook', 'status_hook', '--limit', '1']);
    expect(paged.stdout).toMatch(/more: repeat with --cursor \S+ for the next page/);
  });

  it('shows one execution, and fails clearly for an unknown one or a bad filter', async () => {
    const shown = await cli.run(['executions', 'show', ids[0]!]);
    expect(shown.stdout).toContain(`execution           ${ids[0]}`);
    expect(shown.stdout).toMatch(/status\s+SUCCESS/);
    expect(shown.stdout).toMatch(/notification sent\s+yes/);
    expect(JSON.parse((await cli.run(['executions', 'show', ids[0]!, '--json'])).stdout)).toMatchObject({
      execution_id: ids[0],
      ticket_key: 'ENG-0',
    });
    const missing = await cli.run(['executions', 'show', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no execution "nope"');
    const bad = await cli.run(['executions', '--status', 'DONE']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--status/);
    const reversed = await cli.run(['executions', '--from', '2026-12-01', '--to', '2026-11-01']);
    expect(reversed.code).toBe(1);
    expect(reversed.stderr).toMatch(/from/);
  });
});
