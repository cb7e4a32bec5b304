import type { SqliteDatabase } from '../../db/database.ts';
import { COLUMNS, toEvent, type EventRow } from '../events/event-row-sqlite.ts';
import { streamConditions, type EventTail, type TailItem } from './event-tail.ts';

const POLL_LIMIT = 1000;

/**
 * SQLite serialises writers (one write lock, BEGIN IMMEDIATE), and a new row's id is
 * larger than any handed out before (AUTOINCREMENT since migration 0004, so deleting a
 * session's events never gives their ids again), so id order is commit order: reading "id > last" misses nothing, and the position
 * is safe as soon as it is read. Writes of other processes (`hookd emit` writing the
 * file directly) are seen by the next poll like our own.
 */
export function createSqliteEventTail(db: SqliteDatabase): EventTail {
  const sqlite = db.sqlite;
  const end = sqlite.prepare('SELECT coalesce(max(id), 0) AS top FROM events');
  const after = sqlite.prepare(`SELECT ${COLUMNS} FROM events WHERE id > ? ORDER BY id LIMIT ?`);
  let top = 0;

  const items = (rows: EventRow[]): TailItem[] => rows.map((row) => ({ id: row.id, event: toEvent(row) }));

  return {
    get safe() {
      return top;
    },
    get top() {
      return top;
    },
    settled: true,
    async start() {
      top = (end.get() as { top: number }).top;
    },
    async poll() {
      const rows = after.all(top, POLL_LIMIT) as EventRow[];
      if (rows.length > 0) top = rows[rows.length - 1]!.id;
      return { items: items(rows), more: rows.length === POLL_LIMIT };
    },
    async replay(filter, from, upTo, limit) {
      if (filter.none) return [];
      const conditions = streamConditions(filter);
      const where = ['id > ?', 'id <= ?', ...conditions.map(([column]) => `${column} = ?`)];
      const rows = sqlite
        .prepare(`SELECT ${COLUMNS} FROM events WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`)
        .all(from, upTo, ...conditions.map(([, value]) => value), limit) as EventRow[];
      return items(rows);
    },
  };
}
