import {
  FAILED_STATUSES,
  SUCCESSFUL_STATUSES,
  TIMED_STATUSES,
  UNCOUNTED_STATUS,
  sqlList,
  type MetricsFilter,
  type RawFilter,
} from './performance.ts';
import type { Query, SqlDialect } from '../../db/sql-dialect.ts';
import { SqlWhere } from '../../db/sql-where.ts';

// The performance SQL, written once for both dialects with `?` placeholders; times travel
// as epoch ms on both, and averages are rounded to 3 decimals (microseconds).

const SUCCESSFUL = sqlList(SUCCESSFUL_STATUSES);
const FAILED = sqlList(FAILED_STATUSES);
const TIMED = sqlList(TIMED_STATUSES);
const KEY = 'hook_id, hook_type, team_id, time_bucket';
const FIGURES = [
  'total_executions',
  'successful_executions',
  'failed_executions',
  'avg_execution_time_ms',
  'p95_execution_time_ms',
  'success_rate',
  'throughput_per_hour',
];

/**
 * `counted`, `ranked` and `figures`: the hourly rows of [from, to) computed from the
 * executions, for a WITH clause. One sort serves the window and the grouping: within an
 * hour's executions the timed ones come first in time order, so the p95 is the one at
 * rank ceil(0.95 timed) (nearest rank, as p95Rank). Averages are rounded so that
 * recomputing gives the very same value whatever order the database sums in.
 * Values: from, to, [team].
 */
export function figuresCte(d: SqlDialect, team: boolean): string {
  return `
counted AS (
  SELECT hook_id, hook_type, team_id, ${d.hour('started_at')} AS time_bucket, status, execution_time_ms,
         CASE WHEN status IN ${TIMED} AND execution_time_ms IS NOT NULL THEN 1 ELSE 0 END AS timed
    FROM hook_executions
   WHERE started_at >= ${d.timeParam()} AND started_at < ${d.timeParam()}
     AND status <> '${UNCOUNTED_STATUS}'${team ? ' AND team_id = ?' : ''}
), ranked AS (
  SELECT counted.*,
         ROW_NUMBER() OVER (PARTITION BY ${KEY} ORDER BY timed DESC, execution_time_ms) AS rank_no,
         SUM(timed) OVER (PARTITION BY ${KEY}) AS timed_in_hour
    FROM counted
), totals AS (
  SELECT ${KEY}, COUNT(*) AS total,
         SUM(CASE WHEN status IN ${SUCCESSFUL} THEN 1 ELSE 0 END) AS successful,
         SUM(CASE WHEN status IN ${FAILED} THEN 1 ELSE 0 END) AS failed,
         ${d.round3('AVG(CASE WHEN timed = 1 THEN execution_time_ms END)')} AS avg_ms,
         MAX(CASE WHEN timed = 1 AND rank_no = (95 * timed_in_hour + 99) / 100 THEN execution_time_ms END) AS p95_ms
    FROM ranked GROUP BY ${KEY}
), figures AS (
  SELECT ${KEY}, total AS total_executions, successful AS successful_executions, failed AS failed_executions,
         avg_ms AS avg_execution_time_ms, p95_ms AS p95_execution_time_ms, successful * 1.0 / total AS success_rate,
         total AS throughput_per_hour
    FROM totals
)`;
}

/** The key and figure columns of hook_performance_metrics, for the stores' writes. */
export const ROW_KEY = KEY;
export const ROW_FIGURES: readonly string[] = FIGURES;

/** True when a stored row's figures differ from the computed ones (`current` and `computed` are table aliases). */
export function figuresDiffer(d: SqlDialect, current: string, computed: string): string {
  return FIGURES.map((c) => d.differs(`${current}.${c}`, `${computed}.${c}`)).join(' OR ');
}

/** Earliest and latest start, and first and last row hour, within [from, to). Values: from, to, [team], from, to, [team]. */
export function extentSql(d: SqlDialect, team: boolean): string {
  const within = (column: string) => `${column} >= ${d.timeParam()} AND ${column} < ${d.timeParam()}${team ? ' AND team_id = ?' : ''}`;
  return `
SELECT (SELECT ${d.msFrom('MIN(started_at)')} FROM hook_executions WHERE ${within('started_at')}) AS first_start,
       (SELECT ${d.msFrom('MAX(started_at)')} FROM hook_executions WHERE ${within('started_at')}) AS last_start,
       (SELECT ${d.msFrom('MIN(time_bucket)')} FROM hook_performance_metrics WHERE ${within('time_bucket')}) AS first_row,
       (SELECT ${d.msFrom('MAX(time_bucket)')} FROM hook_performance_metrics WHERE ${within('time_bucket')}) AS last_row`;
}

export function touchedHoursSql(d: SqlDialect, since: boolean): string {
  const where = since ? ` WHERE updated_at >= ${d.timeParam()}` : '';
  return `SELECT DISTINCT ${d.msFrom(d.hour('started_at'))} AS hour FROM hook_executions${where} ORDER BY 1`;
}

function rawWhere(d: SqlDialect, filter: RawFilter): Query {
  const where = [`started_at >= ${d.timeParam()}`, `started_at < ${d.timeParam()}`];
  const values: unknown[] = [filter.from, filter.to];
  if (filter.hookId !== undefined) {
    where.push('hook_id = ?');
    values.push(filter.hookId);
  }
  if (filter.teamId !== undefined) {
    where.push('team_id = ?');
    values.push(filter.teamId);
  }
  return { text: where.join(' AND '), values };
}

/** Counts by status, the timed count and the average time over the raw executions. */
export function figuresQuery(d: SqlDialect, filter: RawFilter): Query {
  const where = rawWhere(d, filter);
  const count = (status: string) => `SUM(CASE WHEN status = '${status}' THEN 1 ELSE 0 END) AS "${status}"`;
  return {
    text: `SELECT ${['RUNNING', 'SUCCESS', 'FAILED', 'TIMEOUT', 'CANCELLED'].map(count).join(', ')},
                  SUM(CASE WHEN status IN ${TIMED} AND execution_time_ms IS NOT NULL THEN 1 ELSE 0 END) AS timed,
                  ${d.round3(`AVG(CASE WHEN status IN ${TIMED} THEN execution_time_ms END)`)} AS avg_ms
             FROM hook_executions WHERE ${where.text}`,
    values: where.values,
  };
}

/** The time at a 1-based rank among the timed executions, in time order. */
export function timeAtRankQuery(d: SqlDialect, filter: RawFilter, rank: number): Query {
  const where = rawWhere(d, filter);
  return {
    text: `SELECT execution_time_ms FROM hook_executions
            WHERE ${where.text} AND status IN ${TIMED} AND execution_time_ms IS NOT NULL
            ORDER BY execution_time_ms LIMIT 1 OFFSET ?`,
    values: [...where.values, rank - 1],
  };
}

const ROW_COLUMNS = (d: SqlDialect) =>
  `hook_id, hook_type, team_id, ${d.msColumn('time_bucket')}, ${FIGURES.join(', ')},
   ${d.msColumn('created_at')}, ${d.msColumn('updated_at')}`;

/** Hourly rows newest hour first, then by key, continuing after a cursor. */
export function metricsQuery(d: SqlDialect, filter: MetricsFilter): Query {
  const where = new SqlWhere().eq('hook_id', filter.hookId).eq('hook_type', filter.hookType).eq('team_id', filter.teamId);
  if (filter.from !== undefined) where.add(`time_bucket >= ${d.timeParam()}`, filter.from);
  if (filter.to !== undefined) where.add(`time_bucket < ${d.timeParam()}`, filter.to);
  if (filter.after) {
    const a = filter.after;
    where.add(
      `(time_bucket < ${d.timeParam()} OR (time_bucket = ${d.timeParam()} AND (hook_id, hook_type, team_id) < (?, ?, ?)))`,
      a.timeBucket,
      a.timeBucket,
      a.hookId,
      a.hookType,
      a.teamId,
    );
  }
  return {
    text: `SELECT ${ROW_COLUMNS(d)} FROM hook_performance_metrics ${where}
            ORDER BY time_bucket DESC, hook_id DESC, hook_type DESC, team_id DESC LIMIT ?`,
    values: [...where.values, filter.limit + 1],
  };
}

export function deleteExecutionsSql(d: SqlDialect, team: boolean): string {
  // In batches, so a large backlog never holds the write lock (SQLite) or one huge transaction.
  return `DELETE FROM hook_executions WHERE execution_id IN (
            SELECT execution_id FROM hook_executions WHERE started_at < ${d.timeParam()}${team ? ' AND team_id = ?' : ''} LIMIT ?)`;
}

export function deleteRowsSql(d: SqlDialect, team: boolean): string {
  return `DELETE FROM hook_performance_metrics WHERE time_bucket < ${d.timeParam()}${team ? ' AND team_id = ?' : ''}`;
}

export function countStartedSql(d: SqlDialect): string {
  return `SELECT COUNT(*) AS n FROM hook_executions WHERE started_at >= ${d.timeParam()}`;
}
