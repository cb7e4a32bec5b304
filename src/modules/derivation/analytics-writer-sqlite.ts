import type { SqliteDriver } from '../../db/database.ts';
import {
  COUNTER_KEYS,
  ERROR_KEY,
  errorUpsertSql,
  FACT_COLUMNS,
  ROLLUP_KEY,
  ROLLUP_VALUES,
  rollupUpsertSql,
  SESSION_COUNTER_COLUMNS,
} from './rollup-sql.ts';
import { AnalyticsDeltas, type ToolUseFacts } from './tool-use-contribution.ts';

export type SqliteAnalyticsWriter = (deltas: AnalyticsDeltas) => void;

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** Applies a pass's (or a delete's) deltas; runs inside the caller's transaction. */
export function createSqliteAnalyticsWriter(sqlite: SqliteDriver): SqliteAnalyticsWriter {
  const rollup = sqlite.prepare(rollupUpsertSql(`VALUES (${marks(ROLLUP_KEY.length + ROLLUP_VALUES.length)})`));
  const error = sqlite.prepare(errorUpsertSql(`VALUES (${marks(ERROR_KEY.length + 1)})`));
  const counters = sqlite.prepare(
    `UPDATE sessions SET ${COUNTER_KEYS.map((k) => `${SESSION_COUNTER_COLUMNS[k]} = ${SESSION_COUNTER_COLUMNS[k]} + ?`).join(', ')}
      WHERE session_id = ?`,
  );
  return (deltas) => {
    for (const [sessionId, c] of deltas.sessionRows()) counters.run(...COUNTER_KEYS.map((k) => c[k]), sessionId);
    for (const r of deltas.rollupRows()) {
      rollup.run(
        r.grain,
        r.span,
        r.source,
        r.project,
        r.teamId,
        r.bucket,
        r.toolName,
        r.subagentType,
        r.succeeded,
        r.failed,
        r.timed,
        r.durationSumMs,
        ...r.bins,
      );
    }
    for (const e of deltas.errorRows())
      error.run(e.grain, e.span, e.source, e.project, e.teamId, e.bucket, e.toolName, e.error, e.failures);
  };
}

/** A tool_uses row as SQLite returns it (FACT_COLUMNS). */
export function toolUseFactsFromSqlite(row: Record<string, unknown>): ToolUseFacts {
  return {
    sessionId: row.session_id as string,
    toolName: row.tool_name as string,
    inputSummary: row.input_summary as string | null,
    status: row.status as ToolUseFacts['status'],
    startedAt: row.started_at as number | null,
    endedAt: row.ended_at as number | null,
    durationMs: row.duration_ms as number | null,
    error: row.error as string | null,
    subagentType: row.subagent_type as string | null,
    source: row.source as string | null,
    project: row.project as string | null,
    teamId: row.team_id as string | null,
  };
}

/** Takes a session's tool calls out of the analytics tables, before its rows are deleted or rebuilt. */
export function createSqliteAnalyticsWithdrawal(sqlite: SqliteDriver): (sessionId: string) => void {
  const rows = sqlite.prepare(`SELECT ${FACT_COLUMNS} FROM tool_uses WHERE session_id = ?`);
  const write = createSqliteAnalyticsWriter(sqlite);
  return (sessionId) => {
    const deltas = new AnalyticsDeltas();
    for (const row of rows.all(sessionId) as Record<string, unknown>[]) deltas.add(toolUseFactsFromSqlite(row), null);
    write(deltas);
  };
}
