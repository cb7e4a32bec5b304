import type { SqliteDatabase } from '../../db/database.ts';
import type { PerformanceStore, RawFilter } from './performance.ts';
import { figuresFromRow, rowFromRecord, type Row } from './performance-rows.ts';
import {
  countRowsSql, countStartedSql, deleteExecutionsSql, deleteRowsSql, extentSql, figuresQuery, metricsQuery,
  removeStaleRowsSql, timeAtRankQuery, touchedHoursSql, upsertRowsSql, type PerformanceDialect,
} from './performance-sql.ts';
import { p95Rank, HOUR_MS } from './performance.ts';

// Times are epoch ms integers: an hour is integer arithmetic on the column itself.
const SQLITE: PerformanceDialect = {
  time: '?',
  ms: (column) => column,
  hour: (column) => `(${column} / ${HOUR_MS}) * ${HOUR_MS}`,
  nextHour: (column) => `${column} + ${HOUR_MS}`,
  differs: (a, b) => `${a} IS NOT ${b}`,
  round3: (expr) => `round(${expr}, 3)`,
};

/**
 * On the main connection, like the executions store: aggregation and retention are
 * short transactions (the service hands over at most a day at a time), waiting for the
 * write lock like any other writer (busy_timeout).
 */
export function createSqlitePerformanceStore(db: SqliteDatabase): PerformanceStore {
  const sqlite = db.sqlite;
  const d = SQLITE;
  const team = (teamId: string | undefined) => (teamId === undefined ? [] : [teamId]);
  const aggregate = sqlite.transaction((from: number, to: number, now: number, teamId: string | undefined) => {
    const t = team(teamId);
    const removed = sqlite.prepare(removeStaleRowsSql(d, teamId !== undefined)).run(from, to, ...t).changes;
    sqlite.prepare(upsertRowsSql(d, teamId !== undefined)).run(from, to, ...t, now, now);
    const written = (sqlite.prepare(countRowsSql(d, teamId !== undefined)).get(from, to, ...t) as { n: number }).n;
    return { written, removed };
  });
  // One read transaction: the rank is taken among the very rows that were counted.
  const figures = sqlite.transaction((filter: RawFilter) => {
    const q = figuresQuery(d, filter);
    const result = figuresFromRow(sqlite.prepare(q.text).get(...q.values) as Row);
    if (result.timed > 0) {
      const at = timeAtRankQuery(d, filter, p95Rank(result.timed));
      result.p95ExecutionTimeMs = sqlite.prepare(at.text).pluck().get(...at.values) as number;
    }
    return result;
  });
  return {
    async aggregate(from, to, now, teamId) {
      return aggregate.immediate(from, to, now, teamId);
    },
    async extent(from, to, teamId) {
      const t = team(teamId);
      const r = sqlite.prepare(extentSql(d, teamId !== undefined)).get(from, to, ...t, from, to, ...t, from, to, ...t, from, to, ...t) as Row;
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
