import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import type { Database } from '../../src/db/database.ts';
import { Migrator } from '../../src/db/migrator.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { expectExactAnalytics, rows, type Row } from '../support/analytics-tables.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/test-database.ts';

const ANALYTICS = 6;

describeEachDialect('analytics migration', (dialect) => {
  let database: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = openDatabase(loadConfig({ HOOKD_HOME: '/nonexistent', HOOKD_DATABASE_URL: database.url }));
  });
  afterAll(async () => {
    await db?.close();
    await database?.cleanup();
  });

  /** Every table, column, index, view and function hookd owns, as text to compare. */
  async function schema(): Promise<string[]> {
    if (db.kind === 'sqlite') {
      const objects = await rows(
        db,
        `SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`,
      );
      return objects.map((o) => `${o.type} ${o.name}: ${o.sql}`);
    }
    const q = async (sql: string) => (await rows(db, sql)).map((r) => Object.values(r).join(' '));
    return [
      ...(await q(`SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
                    WHERE table_schema = 'hookd' AND table_name NOT LIKE 'events_p%' ORDER BY 1, 2`)),
      ...(await q(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'hookd' AND tablename NOT LIKE 'events_p%' ORDER BY 1`)),
      ...(await q(`SELECT p.proname, pg_get_function_identity_arguments(p.oid) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                    WHERE n.nspname = 'hookd' ORDER BY 1, 2`)),
    ];
  }

  /** Sessions and tool calls as hookd 0005 left them, written directly: the rows the migration must count. */
  async function seedAtVersion5(): Promise<void> {
    const hour = Date.parse('2026-09-01T10:00:00Z');
    const sessions: [string, string, string | null, string | null, boolean][] = [
      ['m1', 'claude-code', 'alpha', 't1', true],
      ['m2', 'codex', null, 't2', false],
      ['m3', 'claude-code', 'beta', null, true],
    ];
    const calls: [string, string, string, string | null, string, number | null, number, string | null, string | null][] = [
      // session, tool_use_id, tool, summary, status, duration, start offset (min), error, subagent
      ['m1', 'a', 'Bash', 'npm test', 'failed', 3100, 0, 'Exit code 1\nFAIL invoice.test.ts', null],
      ['m1', 'b', 'Bash', 'npm test', 'succeeded', 2800, 5, null, null],
      ['m1', 'c', 'Edit', 'src/a.ts', 'succeeded', 12, 3, null, null],
      ['m1', 'd', 'Task', 'check', 'succeeded', 9400, 70, null, 'Explore'],
      ['m2', 'a', 'Read', 'a.ts', 'succeeded', 6, 0, null, null],
      ['m2', 'b', 'Grep', 'todo', 'running', null, 1, null, null],
      ['m2', 'c', 'WebFetch', 'https://x', 'failed', null, 2, 'timeout', null],
      ['m3', 'a', 'Read', 'b.ts', 'succeeded', 0, 0, null, null],
    ];
    for (const [id, source, project, team, ended] of sessions) {
      const n = calls.filter((c) => c[0] === id).length;
      if (db.kind === 'sqlite') {
        db.sqlite
          .prepare(`INSERT INTO sessions (session_id, source, project, team_id, started_at, last_activity_at, ended_at, end_reason, tool_calls, created_at, updated_at)
                           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0)`)
          .run(id, source, project, team, hour, hour + 3_600_000, ended ? hour + 3_600_000 : null, ended ? 'clear' : null, n);
      } else {
        await db.pool.query(
          `INSERT INTO sessions (session_id, source, project, team_id, started_at, last_activity_at, ended_at, end_reason, tool_calls, created_at, updated_at)
                             VALUES ($1, $2, $3, $4, to_timestamp($5 / 1000.0), to_timestamp($6 / 1000.0), CASE WHEN $7 THEN to_timestamp($6 / 1000.0) END, CASE WHEN $7 THEN 'clear' END, $8, now(), now())`,
          [id, source, project, team, hour, hour + 3_600_000, ended, n],
        );
      }
    }
    for (const [sid, tuid, tool, summary, status, duration, offset, error, subagent] of calls) {
      const start = hour + offset * 60_000;
      const end = status === 'running' ? null : start + (duration ?? 1000);
      if (db.kind === 'sqlite') {
        db.sqlite
          .prepare(`INSERT INTO tool_uses (session_id, tool_use_id, tool_name, input_summary, started_at, ended_at, duration_ms, status, error, subagent_type)
                           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
          .run(sid, tuid, tool, summary, start, end, duration, status, error, subagent);
      } else {
        await db.pool.query(
          `INSERT INTO tool_uses (session_id, tool_use_id, tool_name, input_summary, started_at, ended_at, duration_ms, status, error, subagent_type)
                             VALUES ($1, $2, $3, $4, to_timestamp($5 / 1000.0), to_timestamp($6::int8 / 1000.0), $7, $8, $9, $10)`,
          [sid, tuid, tool, summary, start, end, duration, status, error, subagent],
        );
      }
    }
  }

  it('fills the rollups from existing rows by the same rules as the passes, and its down migration removes exactly what it added', async () => {
    const migrator = new Migrator(db);
    await migrator.up();
    const withAnalytics = await schema();
    // Down to version 5 also reverts the migrations after this one, newest first.
    const reverted = await migrator.down(ANALYTICS - 1);
    expect(reverted.at(-1)).toBe(ANALYTICS);
    const reapplied = [...reverted].reverse();
    const before = await schema();
    expect(before).not.toEqual(withAnalytics);

    await seedAtVersion5();
    expect(await migrator.up()).toEqual(reapplied);
    expect(await schema()).toEqual(withAnalytics);
    await expectExactAnalytics(db);
    const m1 = (await rows(db, `SELECT * FROM session_intelligence_summary WHERE session_id = 'm1'`))[0]!;
    expect(m1).toMatchObject({ workflow_pattern: 'delegating' });
    expect(Number(m1.test_runs)).toBe(2);
    expect(Number(m1.success_score)).toBe(Math.floor((140 * 3 + 4) / 8) + 20 + 10);

    expect(await migrator.down(ANALYTICS - 1)).toEqual(reverted);
    expect(await schema()).toEqual(before);
    expect(await migrator.up()).toEqual(reapplied);
    expect(await schema()).toEqual(withAnalytics);
    await expectExactAnalytics(db);
  });

  // SQLite cannot store functions: there the API and CLI are the only way to these answers.
  if (dialect === 'postgres')
    it('offers the four functions in SQL, agreeing with the views', async () => {
      const one = async (sql: string): Promise<Row> => (await rows(db, sql))[0]!;
      const view = await one(`SELECT success_score, workflow_pattern FROM session_intelligence_summary WHERE session_id = 'm1'`);
      expect(await one(`SELECT hookd.calculate_session_success_score('m1') AS s`)).toEqual({ s: view.success_score });
      expect(await one(`SELECT hookd.calculate_session_success_score('nope') AS s`)).toEqual({ s: null });
      const stats = (await one(`SELECT hookd.get_session_stats('m1') AS s`)).s as Record<string, unknown>;
      expect(stats).toMatchObject({ session_id: 'm1', workflow_pattern: view.workflow_pattern, tool_calls: 4 });
      expect(stats.tools).toEqual(
        expect.arrayContaining([expect.objectContaining({ tool_name: 'Bash', uses: 2, successful_uses: 1, failed_uses: 1 })]),
      );
      expect(await one(`SELECT hookd.get_session_stats('nope') AS s`)).toEqual({ s: null });
      // The seeded calls are older than 30 days: the trend over the last 30 days is empty, over 3650 it has their day.
      expect(await rows(db, `SELECT * FROM hookd.get_tool_performance('Bash')`)).toEqual([]);
      const bash = await rows(
        db,
        `SELECT day::text AS day, total_uses, successful_uses, failed_uses, success_rate_pct::text AS rate FROM hookd.get_tool_performance('Bash', 3650)`,
      );
      expect(bash).toEqual([{ day: '2026-09-01', total_uses: 2, successful_uses: 1, failed_uses: 1, rate: '50.0' }]);
      const patterns = await rows(db, `SELECT workflow_pattern, sessions FROM hookd.get_recent_workflow_patterns(3650)`);
      expect(patterns.reduce((n, r) => n + Number(r.sessions), 0)).toBe(3);
      expect(await rows(db, `SELECT * FROM hookd.get_recent_workflow_patterns(1)`)).toEqual([]);
    });
});
