import type { SqliteDatabase } from '../../db/database.ts';
import { SQLITE_DIALECT } from '../../db/sql-dialect.ts';
import { HOUR_MS, UNCOUNTED_STATUS, p95Rank, type PerformanceStore, type RawFilter } from './performance.ts';
import { figuresFromRow, rowFromRecord, type Row } from './performance-rows.ts';
import {
  ROW_FIGURES,
  ROW_KEY,
  countStartedSql,
  deleteExecutionsSql,
  deleteRowsSql,
  extentSql,
  figuresCte,
  figuresDiffer,
  figuresQuery,
  metricsQuery,
  timeAtRankQuery,
  touchedHoursSql,
} from './performance-sql.ts';

const M = 'hook_performance_metrics';
const teamOnly = (team: boolean) => (team ? ' AND team_id = ?' : '');

/** Rows of [from, to) whose hour has no counted execution left: one index probe each, cheap without MVCC. Values: from, to, [team]. */
const removeStaleSql = (team: boolean) => `
DELETE FROM ${M}
 WHERE time_bucket >= ? AND time_bucket < ?${teamOnly(team)}
   AND NOT EXISTS (
     SELECT 1 FROM hook_executions e
      WHERE e.hook_id = ${M}.hook_id AND e.hook_type = ${M}.hook_type AND e.team_id = ${M}.team_id
        AND e.started_at >= ${M}.time_bucket AND e.started_at < ${M}.time_bucket + ${HOUR_MS} AND e.status <> '${UNCOUNTED_STATUS}')`;

/** Values: from, to, [team], now, now. A row whose figures did not change is left as it is, updated_at included. */
const upsertSql = (team: boolean) => `
WITH ${figuresCte(SQLITE_DIALECT, team)}
INSERT INTO ${M} (${ROW_KEY}, ${ROW_FIGURES.join(', ')}, created_at, updated_at)
SELECT ${ROW_KEY}, ${ROW_FIGURES.join(', ')}, ?, ? FROM figures WHERE true
ON CONFLICT (${ROW_KEY}) DO UPDATE SET ${ROW_FIGURES.map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = excluded.updated_at
 WHERE ${figuresDiffer(SQLITE_DIALECT, M, 'excluded')}`;

const countSql = (team: boolean) => `SELECT COUNT(*) AS n FROM ${M} WHERE time_bucket >= ? AND time_bucket < ?${teamOnly(team)}`;

/**
 * On the main connection, like the executions store: aggregation and retention are
 * short transactions (the service hands over six hours at a time), waiting for the
 * write lock like any other writer (busy_timeout).
 */
export function createSqlitePerformanceStore(db: SqliteDatabase): PerformanceStore {
  const sqlite = db.sqlite;
  const d = SQLITE_DIALECT;
  const team = (teamId: string | undefined) => (teamId === undefined ? [] : [teamId]);
  const aggregate = sqlite.transaction((from: number, to: number, now: number, teamId: string | undefined) => {
    const t = team(teamId);
    const removed = sqlite.prepare(removeStaleSql(teamId !== undefined)).run(from, to, ...t).changes;
    sqlite.prepare(upsertSql(teamId !== undefined)).run(from, to, ...t, now, now);
    const written = (sqlite.prepare(countSql(teamId !== undefined)).get(from, to, ...t) as { n: number }).n;
    return { written, removed };
  });
  // One read transaction: the rank is taken among the very rows that were counted.
  const figures = sqlite.transaction((filter: RawFilter) => {
    const q = figuresQuery(d, filter);
    const result = figuresFromRow(sqlite.prepare(q.text).get(...q.values) as Row);
    if (result.timed > 0) {
      const at = timeAtRankQuery(d, filter, p95Rank(result.timed));
      result.p95ExecutionTimeMs = sqlite
        .prepare(at.text)
        .pluck()
        .get(...at.values) as number;
    }
    return result;
  });
  return {
    async aggregate(from, to, now, teamId) {
      return aggregate.immediate(from, to, now, teamId);
    },
    async extent(from, to, teamId) {
      const t = team(teamId);
      const r = sqlite
        .prepare(extentSql(d, teamId !== undefined))
        .get(from, to, ...t, from, to, ...t, from, to, ...t, from, to, ...t) as Row;
      const ends = [r.first_start, r.last_start, r.first_row, r.last_row].filter((v): v is number => v !== null).map(Number);
      return ends.length ? { first: Math.min(...ends), last: Math.max(...ends) } : null;
    },
    async touchedHours(since) {
      const statement = sqlite.prepare(touchedHoursSql(d, since !== null)).pluck();
      return (since === null ? statement.all() : statement.all(since)).map(Number);
    },
    async figures(filter) {
      return figures(filter);
    },
    async metrics(filter) {
      const q = metricsQuery(d, filter);
      return (sqlite.prepare(q.text).all(...q.values) as Row[]).map(rowFromRecord);
    },
    async deleteExecutionsBefore(cutoff, limit, teamId) {
      return sqlite.prepare(deleteExecutionsSql(d, teamId !== undefined)).run(cutoff, ...team(teamId), limit).changes;
    },
    async deleteRowsBefore(hour, teamId) {
      return sqlite.prepare(deleteRowsSql(d, teamId !== undefined)).run(hour, ...team(teamId)).changes;
    },
    async countStartedSince(since) {
      return Number(sqlite.prepare(countStartedSql(d)).pluck().get(since));
    },
  };
}
