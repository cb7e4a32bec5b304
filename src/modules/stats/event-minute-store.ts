import type { PostgresDatabase, SqliteDatabase } from '../../db/database.ts';
import { POSTGRES_DIALECT, SQLITE_DIALECT, type Query, type SqlDialect } from '../../db/sql-dialect.ts';
import { SqlWhere } from '../../db/sql-where.ts';

/** Reads and upkeep of event_minutes (migration 0014); the derivation passes write it. */
export interface EventMinuteStore {
  /**
   * Events per minute start (epoch ms) in [from, to), of every team (`teamId` null) or of
   * one, optionally of one source; minutes without events are absent.
   */
  perMinute(range: { from: number; to: number }, key: { teamId: string | null; source?: string }): Promise<Map<number, number>>;
  /** Deletes the rows of minutes before `before` (epoch ms); returns how many. */
  prune(before: number): Promise<number>;
}

/**
 * One key's rows of the range: a range of the primary key (grain, team_id, minute, source),
 * at most a row per minute and source, however many events are stored.
 */
export function perMinuteQuery(d: SqlDialect, range: { from: number; to: number }, key: { teamId: string | null; source?: string }): Query {
  const where = new SqlWhere()
    .add(`grain = '${key.teamId === null ? 'all' : 'team'}'`)
    .add('team_id = ?', key.teamId ?? '')
    .add(`minute >= ${d.timeParam()}`, range.from)
    .add(`minute < ${d.timeParam()}`, range.to)
    .eq('source', key.source);
  return {
    text: `SELECT ${d.msFrom('minute')} AS minute, sum(events) AS events FROM event_minutes ${where} GROUP BY minute`,
    values: where.values,
  };
}

const pruneQuery = (d: SqlDialect, before: number): Query => ({
  text: `DELETE FROM event_minutes WHERE minute < ${d.timeParam()}`,
  values: [before],
});

const toMap = (rows: Record<string, unknown>[]) => new Map(rows.map((r) => [Number(r.minute), Number(r.events)]));

export function createSqliteEventMinuteStore(db: SqliteDatabase): EventMinuteStore {
  return {
    async perMinute(range, key) {
      const q = perMinuteQuery(SQLITE_DIALECT, range, key);
      return toMap(db.sqlite.prepare(q.text).all(...q.values) as Record<string, unknown>[]);
    },
    async prune(before) {
      const q = pruneQuery(SQLITE_DIALECT, before);
      return db.sqlite.prepare(q.text).run(...q.values).changes;
    },
  };
}

export function createPostgresEventMinuteStore(db: PostgresDatabase): EventMinuteStore {
  const numbered = POSTGRES_DIALECT.placeholders;
  return {
    async perMinute(range, key) {
      const q = perMinuteQuery(POSTGRES_DIALECT, range, key);
      return toMap((await db.pool.query<Record<string, unknown>>(numbered(q.text), q.values)).rows);
    },
    async prune(before) {
      const q = pruneQuery(POSTGRES_DIALECT, before);
      return (await db.pool.query(numbered(q.text), q.values)).rowCount ?? 0;
    },
  };
}
