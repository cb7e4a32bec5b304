import type { PostgresDatabase } from '../../db/database.ts';
import { POSTGRES_DIALECT } from '../../db/sql-dialect.ts';
import type { DerivationBacklogReader } from './derivation-backlog.ts';

/**
 * PostgreSQL: the derivation queue, a row per ingest commit that counts its events and
 * keeps when it was queued (migration 0010), so neither needs the rows' JSON parsed.
 * Rows a pass holds but has not committed still count: they are not derived yet.
 */
export function createPostgresDerivationBacklog(db: PostgresDatabase): DerivationBacklogReader {
  return async () => {
    const { rows } = await db.pool.query<{ events: string; oldest: string | null; stored: string }>(
      `SELECT COALESCE(sum(event_count), 0)::text AS events, ${POSTGRES_DIALECT.msFrom('min(queued_at)')}::text AS oldest,
              (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM events_id_seq)::text AS stored
         FROM derivation_queue`,
    );
    const row = rows[0]!;
    return {
      events: Number(row.events),
      oldestStoredAt: row.oldest === null ? null : Number(row.oldest),
      storedEvents: Number(row.stored),
    };
  };
}
