// What the analytics tables hold, against a from-scratch recount of tool_uses: the check
// that the rollups stay exact, shared by the API and the migration tests.
import { expect } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { factColumnsMs, toolUseFactsFromPostgres } from '../../src/modules/derivation/analytics-writer-postgres.ts';
import { toolUseFactsFromSqlite } from '../../src/modules/derivation/analytics-writer-sqlite.ts';
import { BIN_COLUMNS } from '../../src/modules/derivation/duration-bins.ts';
import { FACT_COLUMNS } from '../../src/modules/derivation/rollup-sql.ts';
import { AnalyticsDeltas, type ToolUseFacts } from '../../src/modules/derivation/tool-use-contribution.ts';

export type Row = Record<string, unknown>;

export async function rows(db: Database, sql: string): Promise<Row[]> {
  if (db.kind === 'sqlite') return db.sqlite.prepare(sql).all() as Row[];
  return (await db.pool.query<Row>(sql)).rows;
}

/** What the analytics tables must hold: the contributions of every tool_uses row, recomputed from scratch. */
async function expectedFromToolUses(db: Database): Promise<AnalyticsDeltas> {
  const deltas = new AnalyticsDeltas();
  const sql = `SELECT ${db.kind === 'sqlite' ? FACT_COLUMNS : factColumnsMs()} FROM tool_uses`;
  const toFacts = (r: Row): ToolUseFacts => (db.kind === 'sqlite' ? toolUseFactsFromSqlite(r) : toolUseFactsFromPostgres(r));
  for (const r of await rows(db, sql)) deltas.add(null, toFacts(r));
  return deltas;
}

const ms = (db: Database, column: string) => (db.kind === 'sqlite' ? column : `(extract(epoch FROM ${column}) * 1000)::int8`);

/** The analytics tables as they are, in the shape AnalyticsDeltas gives, rows that sum to nothing left out. */
export async function storedAnalytics(db: Database) {
  const rollups = (
    await rows(
      db,
      `SELECT grain, span, source, project, team_id, ${ms(db, 'bucket')} AS bucket, tool_name, subagent_type,
                                          succeeded, failed, timed, duration_sum_ms, ${BIN_COLUMNS.join(', ')} FROM tool_rollups`,
    )
  )
    .map((r) => ({
      grain: r.grain,
      span: r.span,
      source: r.source,
      project: r.project,
      teamId: r.team_id,
      bucket: Number(r.bucket),
      toolName: r.tool_name,
      subagentType: r.subagent_type,
      succeeded: Number(r.succeeded),
      failed: Number(r.failed),
      timed: Number(r.timed),
      durationSumMs: Number(r.duration_sum_ms),
      bins: BIN_COLUMNS.map((c) => Number(r[c])),
    }))
    .filter((r) => r.succeeded || r.failed || r.timed || r.bins.some(Boolean));
  const errors = (
    await rows(
      db,
      `SELECT grain, span, source, project, team_id, ${ms(db, 'bucket')} AS bucket, tool_name, error, failures FROM tool_error_rollups`,
    )
  )
    .map((r) => ({
      grain: r.grain,
      span: r.span,
      source: r.source,
      project: r.project,
      teamId: r.team_id,
      bucket: Number(r.bucket),
      toolName: r.tool_name,
      error: r.error,
      failures: Number(r.failures),
    }))
    .filter((e) => e.failures !== 0);
  const counters = await rows(
    db,
    `SELECT session_id, tool_calls, tools_succeeded, tools_failed, explore_calls, edit_calls, test_runs, delegate_calls, research_calls
                                     FROM sessions WHERE tool_calls <> 0 ORDER BY session_id`,
  );
  return { rollups, errors, counters };
}

/** JSON with the keys in one order, whatever order the object was built in. */
const canonical = (o: object) => JSON.stringify(Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1))));

/** The keys a session counts under in session_rollups and subagent_session_rollups (migration 0013), recomputed. */
function sessionKeys(s: Row): string[] {
  const start = Number(s.started_at);
  const keys: string[] = [];
  for (const [span, size] of [
    ['hour', 3_600_000],
    ['day', 86_400_000],
  ] as const) {
    const bucket = Math.floor(start / size) * size;
    const at = (grain: string, project: unknown, team: unknown) => keys.push([grain, span, project, team, bucket, s.source].join('|'));
    at('all', '', '');
    if (s.project !== null) at('project', s.project, '');
    if (s.team_id !== null) at('team', '', s.team_id);
    at('full', s.project ?? '', s.team_id ?? '');
  }
  return keys;
}

function countBy(keys: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const k of keys) counts[k] = (counts[k] ?? 0) + 1;
  return counts;
}

async function storedCounts(db: Database, table: string, key: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const sql = `SELECT grain, span, project, team_id, ${ms(db, 'bucket')} AS bucket, source, ${key} AS key, sessions FROM ${table} WHERE sessions <> 0`;
  for (const r of await rows(db, sql))
    counts[[r.grain, r.span, r.project, r.team_id, Number(r.bucket), r.source, r.key].join('|')] = Number(r.sessions);
  return counts;
}

/** session_rollups and subagent_session_rollups against a recount of sessions and their completed Task calls. */
export async function expectExactSessionRollups(db: Database): Promise<void> {
  const sessions = await rows(
    db,
    `SELECT session_id, source, project, team_id, ${ms(db, 'started_at')} AS started_at,
            workflow_pattern || '/' || success_score AS key FROM sessions`,
  );
  expect(await storedCounts(db, 'session_rollups', `workflow_pattern || '/' || success_score`)).toEqual(
    countBy(sessions.flatMap((s) => sessionKeys(s).map((k) => `${k}|${s.key}`))),
  );
  const pairs = await rows(
    db,
    `SELECT DISTINCT s.session_id, s.source, s.project, s.team_id, ${ms(db, 's.started_at')} AS started_at, t.subagent_type AS key
       FROM tool_uses t JOIN sessions s ON s.session_id = t.session_id
      WHERE t.subagent_type IS NOT NULL AND t.status <> 'running'`,
  );
  expect(await storedCounts(db, 'subagent_session_rollups', 'subagent_type')).toEqual(
    countBy(pairs.flatMap((p) => sessionKeys(p).map((k) => `${k}|${p.key}`))),
  );
}

/**
 * event_minutes (migration 0014) against a recount of the events, from an hour inside the
 * 48 hours kept: every event from there on was counted when derived, whenever that was.
 */
export async function expectExactEventMinutes(db: Database): Promise<void> {
  const since = Math.ceil((Date.now() - 47 * 3_600_000) / 60_000) * 60_000;
  const after = db.kind === 'sqlite' ? String(since) : `to_timestamp(${since / 1000})`;
  const expected: Record<string, number> = {};
  const add = (key: string) => {
    expected[key] = (expected[key] ?? 0) + 1;
  };
  for (const e of await rows(db, `SELECT ${ms(db, 'ts')} AS ts, team_id, source FROM events WHERE ts >= ${after}`)) {
    const minute = Math.floor(Number(e.ts) / 60_000) * 60_000;
    add(['all', '', minute, e.source].join('|'));
    if (e.team_id !== null) add(['team', e.team_id, minute, e.source].join('|'));
  }
  const stored: Record<string, number> = {};
  const sql = `SELECT grain, team_id, ${ms(db, 'minute')} AS minute, source, events FROM event_minutes WHERE minute >= ${after} AND events <> 0`;
  for (const r of await rows(db, sql)) stored[[r.grain, r.team_id, Number(r.minute), r.source].join('|')] = Number(r.events);
  expect(stored).toEqual(expected);
}

export async function expectExactAnalytics(db: Database): Promise<void> {
  await expectExactSessionRollups(db);
  await expectExactEventMinutes(db);
  const expected = await expectedFromToolUses(db);
  const stored = await storedAnalytics(db);
  const byKey = <T extends { grain: unknown; source: unknown; project: unknown; teamId: unknown; bucket: number; toolName: unknown }>(
    list: T[],
  ) => [...list].sort((a, b) => canonical(a).localeCompare(canonical(b)));
  expect(byKey(stored.rollups)).toEqual(byKey(expected.rollupRows()));
  expect(byKey(stored.errors)).toEqual(byKey(expected.errorRows()));
  const numbers = (r: Row) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, k === 'session_id' ? v : Number(v)]));
  expect(stored.counters.map(numbers)).toEqual(
    expected.sessionRows().map(([session_id, c]) => ({
      session_id,
      tool_calls: c.toolCalls,
      tools_succeeded: c.toolsSucceeded,
      tools_failed: c.toolsFailed,
      explore_calls: c.exploreCalls,
      edit_calls: c.editCalls,
      test_runs: c.testRuns,
      delegate_calls: c.delegateCalls,
      research_calls: c.researchCalls,
    })),
  );
}
