// `hookd perf` and `hookd cleanup` as a user runs them: the built CLI against a database
// holding executions, on both dialects, with --json compared to the HTTP reply.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import { buildApp } from '../../src/http/app.ts';
import { openRuntime } from '../../src/runtime/runtime.ts';
import { execution, HOUR } from '../support/execution-fixtures.ts';
import { describeEachDialect } from '../support/test-database.ts';
import { createCliContext, lines, type CliContext } from './cli-harness.ts';

describeEachDialect('hookd perf and cleanup', (dialect) => {
  let cli: CliContext;
  const now = Date.now();
  const hour = Math.floor(now / HOUR) * HOUR;
  beforeAll(async () => {
    cli = await createCliContext(dialect);
    await cli.withRuntime(async (runtime) => {
      const list = [
        execution({ hookId: 'deploy', teamId: 'red', startedAt: hour - 2 * HOUR + 60_000, status: 'SUCCESS', executionTimeMs: 1500 }),
        execution({ hookId: 'deploy', teamId: 'red', startedAt: hour - 2 * HOUR + 120_000, status: 'FAILED', executionTimeMs: 250 }),
        execution({ hookId: 'deploy', teamId: 'red', startedAt: hour - 3 * HOUR, status: 'RUNNING' }),
        execution({ hookId: 'notify', teamId: 'blue', startedAt: hour - 5 * HOUR, status: 'CANCELLED', executionTimeMs: 10 }),
        execution({ hookId: 'deploy', teamId: 'red', startedAt: now - 50 * 24 * HOUR, status: 'SUCCESS', executionTimeMs: 5 }),
      ];
      for (const e of list) await runtime.services.stores.executions.insert(e);
    });
  });
  afterAll(async () => cli?.close());

  /** What the HTTP API answers for the same request on the same database. */
  const http = async (method: 'GET' | 'POST', url: string) => {
    const runtime = await openRuntime(loadConfig(cli.env));
    const app = await buildApp(runtime.services);
    try {
      const res = await app.inject({ method, url });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    } finally {
      await app.close();
      await runtime.services.close();
    }
  };

  it('prints a hook summary as a table, and with --json what GET /performance/summary answers', async () => {
    const from = new Date(hour - 6 * HOUR).toISOString();
    const to = new Date(hour).toISOString();
    const table = await cli.run(['perf', 'summary', '--hook', 'deploy', '--from', from, '--to', to]);
    expect(table.stderr).toBe('');
    const rows = lines(table.stdout);
    expect(rows[0]).toMatch(/^HOOK\s+FROM\s+TO\s+TOTAL\s+OK\s+FAILED\s+CANCELLED\s+RUNNING\s+SUCCESS\s+AVG\s+P95\s+PER HOUR$/);
    expect(rows[1]).toMatch(/^deploy\s+.*\s+2\s+1\s+1\s+0\s+1\s+50\.0%\s+875 ms\s+1\.5 s\s+0\.333$/);
    const json = await cli.run(['perf', 'summary', '--hook', 'deploy', '--from', from, '--to', to, '--json']);
    expect(JSON.parse(json.stdout)).toEqual(await http('GET', `/performance/summary?hook_id=deploy&from=${from}&to=${to}`));
  });

  it('recomputes the hourly rows, and a second run answers as POST /performance/aggregate does', async () => {
    const from = String(hour - 6 * HOUR);
    const done = await cli.run(['perf', 'aggregate', '--from', from, '--to', String(hour)]);
    expect(done.stdout).toMatch(/^recomputed the hours from .* to .*: 2 hourly rows, 0 removed$/m);
    const json = JSON.parse((await cli.run(['perf', 'aggregate', '--from', from, '--to', String(hour), '--json'])).stdout);
    expect(json).toEqual(await http('POST', `/performance/aggregate?from=${from}&to=${hour}`));
    expect(json).toMatchObject({ buckets_written: 2, buckets_removed: 0 });
  });

  it('prints statistics of the last hours, per team, with --json as GET /executions/statistics', async () => {
    const table = await cli.run(['perf', 'stats', '--hours', '24']);
    const rows = lines(table.stdout);
    expect(rows[0]).toMatch(/^TEAM\s+SINCE\s+TOTAL\s+SUCCESS\s+FAILED\s+TIMEOUT\s+CANCELLED\s+RUNNING\s+SUCCESS RATE\s+AVG\s+P95$/);
    expect(rows[1]).toMatch(/^\(all\)\s+\S+ \S+\s+3\s+1\s+1\s+0\s+1\s+1\s+33\.3%\s+875 ms\s+1\.5 s$/);
    const red = JSON.parse((await cli.run(['perf', 'stats', '--team', 'red', '--json'])).stdout);
    const { from: _f, to: _t, ...figures } = await http('GET', '/executions/statistics?team_id=red');
    expect(red).toMatchObject(figures);
    expect(red).toMatchObject({
      team_id: 'red',
      hours: 24,
      total_executions: 2,
      running_executions: 1,
      by_status: { RUNNING: 1, SUCCESS: 1, FAILED: 1, TIMEOUT: 0, CANCELLED: 0 },
    });
  });

  it('refuses bad numbers and reversed ranges with the reason, exit 1 or the usage', async () => {
    const hours = await cli.run(['perf', 'stats', '--hours', '9000']);
    expect(hours.code).not.toBe(0);
    expect(hours.stderr).toMatch(/--hours must be a whole number from 1 to 8760/);
    const reversed = await cli.run(['perf', 'summary', '--hook', 'deploy', '--from', '2026-02-01', '--to', '2026-01-01']);
    expect(reversed.code).toBe(1);
    expect(reversed.stderr).toMatch(/from: must be before `to`/);
    const noHook = await cli.run(['perf', 'summary']);
    expect(noHook.code).not.toBe(0);
    expect(noHook.stderr).toMatch(/--hook/);
    const noDays = await cli.run(['cleanup']);
    expect(noDays.code).not.toBe(0);
    expect(noDays.stderr).toMatch(/--days/);
    expect((await cli.run(['cleanup', '--days', '0'])).stderr).toMatch(/--days must be a whole number from 1 to 36500/);
  });

  it('cleans up executions older than N days', async () => {
    const kept = await cli.run(['cleanup', '--days', '60', '--json']);
    expect(JSON.parse(kept.stdout)).toMatchObject({ days: 60, deleted_count: 0 });
    const gone = await cli.run(['cleanup', '--days', '30']);
    expect(gone.stdout).toMatch(/^deleted 1 executions started before \S+ \S+ \(0 hourly rows removed\)$/m);
    expect(JSON.parse((await cli.run(['perf', 'stats', '--hours', '8760', '--json'])).stdout)).toMatchObject({ total_executions: 3 });
  });
});
