import type { PostgresDatabase } from '../../db/database.ts';
import { advisoryKey } from '../../db/migration-backend-postgres.ts';
import { numberedPlaceholders as numbered } from '../../db/numbered-placeholders.ts';
import { timestamptzFromMs } from '../../db/postgres-time.ts';
import { withPostgresTransaction } from '../../db/postgres-transaction.ts';
import { p95Rank, type PerformanceStore } from './performance.ts';
import { figuresFromRow, rowFromRecord, type Row } from './performance-rows.ts';
import {
  countRowsSql, countStartedSql, deleteExecutionsSql, deleteRowsSql, extentSql, figuresQuery, metricsQuery,
  removeStaleRowsSql, timeAtRankQuery, touchedHoursSql, upsertRowsSql, type PerformanceDialect,
} from './performance-sql.ts';

const POSTGRES: PerformanceDialect = {
  time: timestamptzFromMs('?::int8'),
  ms: (column) => `(extract(epoch FROM ${column}) * 1000)::int8`,
  // The zone named, so the bucket is the UTC hour whatever the session's TimeZone.
  hour: (column) => `date_trunc('hour', ${column}, 'UTC')`,
  nextHour: (column) => `${column} + interval '1 hour'`,
  differs: (a, b) => `${a} IS DISTINCT FROM ${b}`,
  round3: (expr) => `round((${expr})::numeric, 3)::float8`,
};

export function createPostgresPerformanceStore(db: PostgresDatabase): PerformanceStore {
  const pool = db.pool;
  const d = POSTGRES;
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
          const removed = (await client.query(numbered(removeStaleRowsSql(d, teamId !== undefined)), [from, to, ...t])).rowCount ?? 0;
          await client.query(numbered(upsertRowsSql(d, teamId !== undefined)), [from, to, ...t, now, now]);
          const { rows } = await client.query<{ n: number }>(numbered(countRowsSql(d, teamId !== undefined)), [from, to, ...t]);
          return { written: Number(rows[0]!.n), removed };
        },
        { advisoryLock: lock },
      );
    },
    async extent(from, to, teamId) {
      const t = team(teamId);
      const { rows } = await pool.query<Row>(numbered(extentSql(d, teamId !== undefined)), [from, to, ...t, from, to, ...t, from, to, ...t, from, to, ...t]);
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
