import type { SqliteDatabase } from '../../db/database.ts';
import type { DerivationBacklogReader } from './derivation-backlog.ts';

/**
 * SQLite: the events above the `sessions` cursor (migration 0005). Ids are handed out in
 * commit order, so the first of them is the oldest stored; the count walks only the
 * backlog's ids, which stay few unless the derivation falls behind.
 */
export function createSqliteDerivationBacklog(db: SqliteDatabase): DerivationBacklogReader {
  const read = db.sqlite.prepare(`
    WITH c AS (SELECT last_id FROM derivation_cursor WHERE name = 'sessions')
    SELECT (SELECT count(*) FROM events WHERE id > (SELECT last_id FROM c)) AS events,
           (SELECT received_at FROM events WHERE id > (SELECT last_id FROM c) ORDER BY id LIMIT 1) AS oldest`);
  return async () => {
    const row = read.get() as { events: number; oldest: number | null };
    return { events: row.events, oldestStoredAt: row.oldest };
  };
}
