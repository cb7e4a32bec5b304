import type { SqliteDatabase } from '../../db/database.ts';
import type { DerivationBacklogReader } from './derivation-backlog.ts';

/**
 * SQLite: the events above the `sessions` cursor (migration 0005). Ids are handed out in
 * commit order, so the first of them is the oldest stored.
 *
 * The count walks the backlog's rows (ids alone would count retried duplicates too: SQLite
 * spends an id on each), and it runs on the thread that answers HTTP, for a time that
 * grows with the backlog. So it stops at BACKLOG_COUNT_LIMIT rows; past it the age still
 * tells how far behind the derivation is.
 */
const BACKLOG_COUNT_LIMIT = 100_000;

export function createSqliteDerivationBacklog(db: SqliteDatabase): DerivationBacklogReader {
  const read = db.sqlite.prepare(`
    WITH c AS (SELECT last_id FROM derivation_cursor WHERE name = 'sessions')
    SELECT (SELECT count(*) FROM (SELECT 1 FROM events WHERE id > (SELECT last_id FROM c) LIMIT ${BACKLOG_COUNT_LIMIT})) AS events,
           (SELECT received_at FROM events WHERE id > (SELECT last_id FROM c) ORDER BY id LIMIT 1) AS oldest,
           (SELECT COALESCE(max(seq), 0) FROM sqlite_sequence WHERE name = 'events') AS stored`);
  return async () => {
    const row = read.get() as { events: number; oldest: number | null; stored: number };
    return { events: row.events, oldestStoredAt: row.oldest, storedEvents: row.stored };
  };
}
