import type { SqliteDatabase } from '../../db/database.ts';
import { COLUMNS, toEvent, type EventRow } from './event-row-sqlite.ts';
import type { EventPage, EventStore } from './event-store.ts';
import { createSqliteEventTail } from './event-tail-sqlite.ts';
import { knownEventsCollector, type KnownEvents } from '../sessions/session-deriver-sqlite.ts';
import { createSqliteEventWriter } from './sqlite-event-writer.ts';

/** `known`: where stored events go for this process's derivation passes (see createSqliteDerivation). */
export function createSqliteEventStore(db: SqliteDatabase, known?: KnownEvents): EventStore {
  const sqlite = db.sqlite;
  const collector = known ? knownEventsCollector(known) : null;
  const writeAll = createSqliteEventWriter(sqlite, collector?.stored);
  const byId = sqlite.prepare(`SELECT ${COLUMNS} FROM events WHERE event_id = ? ORDER BY id LIMIT 1`);
  const byIdInSession = sqlite.prepare(`SELECT ${COLUMNS} FROM events WHERE event_id = ? AND session_id = ?`);
  const countAll = sqlite.prepare('SELECT count(*) AS n FROM events');
  const ping = sqlite.prepare('SELECT 1');

  return {
    async writeGroups(groups) {
      try {
        const duplicates = writeAll(groups);
        collector?.commit();
        return duplicates;
      } finally {
        collector?.discard();
      }
    },
    async query(filter) {
      const where: string[] = [];
      const params: (string | number)[] = [];
      const eq = (column: string, value: string | undefined) => {
        if (value === undefined) return;
        where.push(`${column} = ?`);
        params.push(value);
      };
      eq('session_id', filter.sessionId);
      eq('event_type', filter.eventType);
      eq('source', filter.source);
      eq('workflow_id', filter.workflowId);
      eq('team_id', filter.teamId);
      if (filter.from !== undefined) {
        where.push('ts >= ?');
        params.push(filter.from);
      }
      if (filter.to !== undefined) {
        where.push('ts < ?');
        params.push(filter.to);
      }
      const asc = filter.order === 'asc';
      if (filter.after) {
        where.push(asc ? '(ts > ? OR (ts = ? AND id > ?))' : '(ts < ? OR (ts = ? AND id < ?))');
        params.push(filter.after.ts, filter.after.ts, filter.after.id);
      }
      const sql = `SELECT ${COLUMNS} FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY ts ${asc ? 'ASC' : 'DESC'}, id ${asc ? 'ASC' : 'DESC'} LIMIT ?`;
      const rows = sqlite.prepare(sql).all(...params, filter.limit + 1) as EventRow[];
      return page(rows, filter.limit);
    },
    async findByEventId(eventId, sessionId) {
      const row = (sessionId === undefined ? byId.get(eventId) : byIdInSession.get(eventId, sessionId)) as
        | EventRow
        | undefined;
      return row ? toEvent(row) : null;
    },
    async count() {
      return (countAll.get() as { n: number }).n;
    },
    async ping() {
      ping.get();
    },
    openTail: () => createSqliteEventTail(db),
  };
}

function page(rows: EventRow[], limit: number): EventPage {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items: items.map(toEvent), next: more && last ? { ts: last.ts, id: last.id } : null };
}
