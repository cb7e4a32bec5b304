import type { PostgresDatabase } from '../../db/database.ts';
import { advisoryKey } from '../../db/migration-backend-postgres.ts';
import { withPostgresTransaction } from '../../db/postgres-transaction.ts';
import { POSTGRES_DIALECT } from '../../db/sql-dialect.ts';
import { p95Rank, type PerformanceStore } from './performance.ts';
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

const numbered = POSTGRES_DIALECT.placeholders;
const T = POSTGRES_DIALECT.timeParam();
const sameKey = (a: string, b: string) =>
  ROW_KEY.split(', ')
    .map((c) => `${a}.${c} = ${b}.${c}`)
    .join(' AND ');

/**
 * The hourly rows of [from, to) written in one statement from one computation: rows
 * whose hour has no counted execution left are deleted, changed ones updated, new ones
 * inserted. An UPDATE filters before it locks, where ON CONFLICT DO UPDATE would lock (and
 * log) every unchanged row of a re-run. Values: from, to, [team], from, to, [team], now, now, now.
 */
const writeSql = (team: boolean) => `
WITH ${figuresCte(POSTGRES_DIALECT, team)},
removed AS (
  DELETE FROM hook_performance_metrics m
   WHERE m.time_bucket >= ${T} AND m.time_bucket < ${T}${team ? ' AND m.team_id = ?' : ''}
     AND NOT EXISTS (SELECT 1 FROM figures f WHERE ${sameKey('f', 'm')})
  RETURNING 1
), updated AS (
  UPDATE hook_performance_metrics m SET ${ROW_FIGURES.map((c) => `${c} = f.${c}`).join(', ')}, updated_at = ${T}
    FROM figures f
   WHERE ${sameKey('f', 'm')} AND (${figuresDiffer(POSTGRES_DIALECT, 'm', 'f')})
  RETURNING 1
), inserted AS (
  INSERT INTO hook_performance_metrics (${ROW_KEY}, ${ROW_FIGURES.join(', ')}, created_at, updated_at)
  SELECT ${ROW_KEY}, ${ROW_FIGURES.join(', ')}, ${T}, ${T} FROM figures f
   WHERE NOT EXISTS (SELECT 1 FROM hook_performance_metrics m WHERE ${sameKey('f', 'm')})
  RETURNING 1
)
SELECT (SELECT count(*) FROM figures) AS written, (SELECT count(*) FROM removed) AS removed`;

export function createPostgresPerformanceStore(db: PostgresDatabase): PerformanceStore {
  const pool = db.pool;
  const d = POSTGRES_DIALECT;
  const team = (teamId: string | undefined) => (teamId === undefined ? [] : [teamId]);
  // Aggregations of several processes (the schedule, an admin's request) take turns: two
  // upserts of one hour in opposite orders would otherwise deadlock.
  const lock = { key: advisoryKey(`hookd.performance.${db.schema}`) };
  return {
    async aggregate(from, to, now, teamId) {
      const t = team(teamId);
      return withPostgresTransaction(
        pool,
        async (client) => {
          const { rows } = await client.query<{ written: number; removed: number }>(numbered(writeSql(teamId !== undefined)), [
            from,
            to,
            ...t,
            from,
            to,
            ...t,
            now,
            now,
            now,
          ]);
          return { written: Number(rows[0]!.written), removed: Number(rows[0]!.removed) };
        },
        { advisoryLock: lock },
      );
    },
    async extent(from, to, teamId) {
      const t = team(teamId);
      const { rows } = await pool.query<Row>(numbered(extentSql(d, teamId !== undefined)), [
        from,
        to,
        ...t,
        from,
        to,
        ...t,
        from,
        to,
        ...t,
        from,
        to,
        ...t,
      ]);
      const r = rows[0]!;
      const ends = [r.first_start, r.last_start, r.first_row, r.last_row].filter((v) => v !== null).map(Number);
      return ends.length ? { first: Math.min(...ends), last: Math.max(...ends) } : null;
    },
    async touchedHours(since) {
      const { rows } = await pool.query<{ hour: number }>(numbered(touchedHoursSql(d, since !== null)), since === null ? [] : [since]);
      return rows.map((r) => Number(r.hour));
    },
    async figures(filter) {
      // One snapshot: the rank is taken among the very rows that were counted.
      return withPostgresTransaction(
        pool,
        async (client) => {
          const q = figuresQuery(d, filter);
          const figures = figuresFromRow((await client.query<Row>(numbered(q.text), q.values)).rows[0]!);
          if (figures.timed > 0) {
            const at = timeAtRankQuery(d, filter, p95Rank(figures.timed));
            const { rows } = await client.query<Row>(numbered(at.text), at.values);
            figures.p95ExecutionTimeMs = rows[0] ? Number(rows[0].execution_time_ms) : null;
          }
          return figures;
        },
        { isolation: 'repeatable read' },
      );
    },
    async metrics(filter) {
      const q = metricsQuery(d, filter);
      return (await pool.query<Row>(numbered(q.text), q.values)).rows.map(rowFromRecord);
    },
    async deleteExecutionsBefore(cutoff, limit, teamId) {
      return (await pool.query(numbered(deleteExecutionsSql(d, teamId !== undefined)), [cutoff, ...team(teamId), limit])).rowCount ?? 0;
    },
    async deleteRowsBefore(hour, teamId) {
      return (await pool.query(numbered(deleteRowsSql(d, teamId !== undefined)), [hour, ...team(teamId)])).rowCount ?? 0;
    },
    async countStartedSince(since) {
      const { rows } = await pool.query<{ n: number }>(numbered(countStartedSql(d)), [since]);
      return Number(rows[0]!.n);
    },
  };
}
