import type { PoolClient } from 'pg';
import { POSTGRES_DIALECT } from '../../db/sql-dialect.ts';
import { BIN_COLUMNS } from './duration-bins.ts';
import { COUNTER_KEYS, errorUpsertSql, FACT_COLUMNS, rollupUpsertSql, SESSION_COUNTER_COLUMNS } from './rollup-sql.ts';
import { AnalyticsDeltas, type ToolUseFacts } from './tool-use-contribution.ts';

const { timeFromMs: T, msColumn } = POSTGRES_DIALECT;

/** FACT_COLUMNS with times as epoch ms, for SELECT and RETURNING lists; `table` qualifies them. */
export function factColumnsMs(table?: string): string {
  const q = table ? `${table}.` : '';
  return FACT_COLUMNS.split(', ')
    .map((c) => (c === 'started_at' || c === 'ended_at' ? msColumn(`${q}${c}`) : `${q}${c}`))
    .join(', ');
}

const COUNTERS = COUNTER_KEYS.map((k) => SESSION_COUNTER_COLUMNS[k]);

// Parameters are numbered in the order writeAnalyticsDeltas passes them: the rollup
// columns, then the session ids and counters, then the error columns; each is an array.
let last = 0;
const params = (types: readonly string[]) => types.map((type) => `$${++last}::${type}[]`);
const ROLLUP_PARAMS = params([
  'text',
  'text',
  'text',
  'text',
  'text',
  'int8',
  'text',
  'text',
  'int8',
  'int8',
  'int8',
  'int8',
  ...BIN_COLUMNS.map(() => 'int4'),
]);
const COUNTER_PARAMS = params(['text', ...COUNTERS.map(() => 'int8')]);
const ERROR_PARAMS = params(['text', 'text', 'text', 'text', 'text', 'int8', 'text', 'text', 'int8']);

// One statement for the three tables, so a pass pays one round trip. Rollup rows come
// sorted (AnalyticsDeltas), and ORDER BY keeps that order: concurrent passes lock them in
// the same sequence.
const WRITE_SQL = `
WITH counters AS (
  UPDATE sessions s SET ${COUNTERS.map((c) => `${c} = s.${c} + d.${c}`).join(', ')}
    FROM unnest(${COUNTER_PARAMS.join(', ')}) AS d(session_id, ${COUNTERS.join(', ')})
   WHERE s.session_id = d.session_id
  RETURNING 1
), rollups AS (
  ${rollupUpsertSql(`SELECT grain, span, source, project, team_id, ${T('bucket_ms')}, tool_name, subagent_type, succeeded, failed, timed, duration_sum_ms, ${BIN_COLUMNS.join(', ')}
    FROM unnest(${ROLLUP_PARAMS.join(', ')})
      WITH ORDINALITY AS r(grain, span, source, project, team_id, bucket_ms, tool_name, subagent_type, succeeded, failed, timed, duration_sum_ms, ${BIN_COLUMNS.join(', ')}, n)
   ORDER BY n`)}
  RETURNING 1
)
${errorUpsertSql(`SELECT grain, span, source, project, team_id, ${T('bucket_ms')}, tool_name, error, failures
    FROM unnest(${ERROR_PARAMS.join(', ')})
      WITH ORDINALITY AS e(grain, span, source, project, team_id, bucket_ms, tool_name, error, failures, n)
   ORDER BY n`)}`;

/** Applies a pass's (or a delete's) deltas on `client`, inside the caller's transaction. */
export async function writeAnalyticsDeltas(client: PoolClient, deltas: AnalyticsDeltas): Promise<void> {
  const rollups = deltas.rollupRows();
  const errors = deltas.errorRows();
  const sessions = deltas.sessionRows();
  if (rollups.length === 0 && errors.length === 0 && sessions.length === 0) return;
  const values: unknown[] = [
    rollups.map((r) => r.grain),
    rollups.map((r) => r.span),
    rollups.map((r) => r.source),
    rollups.map((r) => r.project),
    rollups.map((r) => r.teamId),
    rollups.map((r) => r.bucket),
    rollups.map((r) => r.toolName),
    rollups.map((r) => r.subagentType),
    rollups.map((r) => r.succeeded),
    rollups.map((r) => r.failed),
    rollups.map((r) => r.timed),
    rollups.map((r) => r.durationSumMs),
    ...BIN_COLUMNS.map((_, i) => rollups.map((r) => r.bins[i])),
    sessions.map(([id]) => id),
    ...COUNTER_KEYS.map((k) => sessions.map(([, c]) => c[k])),
    errors.map((e) => e.grain),
    errors.map((e) => e.span),
    errors.map((e) => e.source),
    errors.map((e) => e.project),
    errors.map((e) => e.teamId),
    errors.map((e) => e.bucket),
    errors.map((e) => e.toolName),
    errors.map((e) => e.error),
    errors.map((e) => e.failures),
  ];
  await client.query({ name: 'hookd_write_analytics', text: WRITE_SQL, values });
}

/** A tool_uses row as factColumnsMs() returns it (int8 comes back as a string). */
export function toolUseFactsFromPostgres(row: Record<string, unknown>): ToolUseFacts {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    sessionId: row.session_id as string,
    toolName: row.tool_name as string,
    inputSummary: row.input_summary as string | null,
    status: row.status as ToolUseFacts['status'],
    startedAt: num(row.started_at),
    endedAt: num(row.ended_at),
    durationMs: num(row.duration_ms),
    error: row.error as string | null,
    subagentType: row.subagent_type as string | null,
    source: row.source as string | null,
    project: row.project as string | null,
    teamId: row.team_id as string | null,
  };
}

/** Takes a session's tool calls out of the analytics tables, before its rows are deleted or rebuilt. */
export async function withdrawSessionAnalytics(client: PoolClient, sessionId: string): Promise<void> {
  const { rows } = await client.query<Record<string, unknown>>(`SELECT ${factColumnsMs()} FROM tool_uses WHERE session_id = $1`, [
    sessionId,
  ]);
  const deltas = new AnalyticsDeltas();
  for (const row of rows) deltas.add(toolUseFactsFromPostgres(row), null);
  await writeAnalyticsDeltas(client, deltas);
}
