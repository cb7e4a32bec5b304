import type { SqliteDatabase } from '../../db/database.ts';
import { COLUMNS, EVENT_COLUMNS, toEvent, type EventRow } from './event-row-sqlite.ts';
import type { EventPage, EventStore } from './event-store.ts';
import { knownEventsCollector, type KnownEvents } from './known-events.ts';
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
  const bySession = bySessionQuery(sqlite);

  return {
    async writeGroups(groups, teamBound) {
      try {
        const duplicates = writeAll(groups, teamBound);
        collector?.commit();
        return duplicates;
      } finally {
        collector?.discard();
      }
    },
    async query(filter) {
      // `col` names a column for the table the conditions apply to (see bySession below).
      const conditions = (col: (name: string) => string) => {
        const where: string[] = [];
        const params: (string | number)[] = [];
        const eq = (column: string, value: string | undefined) => {
          if (value === undefined) return;
          where.push(`${col(column)} = ?`);
          params.push(value);
        };
        eq('session_id', filter.sessionId);
        eq('event_type', filter.eventType);
        eq('source', filter.source);
        eq('workflow_id', filter.workflowId);
        eq('team_id', filter.teamId);
        if (filter.from !== undefined) {
          where.push(`${col('ts')} >= ?`);
          params.push(filter.from);
        }
        if (filter.to !== undefined) {
          where.push(`${col('ts')} < ?`);
          params.push(filter.to);
        }
        if (filter.after) {
          const [ts, id] = [col('ts'), col('id')];
          where.push(asc ? `(${ts} > ? OR (${ts} = ? AND ${id} > ?))` : `(${ts} < ? OR (${ts} = ? AND ${id} < ?))`);
          params.push(filter.after.ts, filter.after.ts, filter.after.id);
        }
        return { where: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
      };
      const asc = filter.order === 'asc';
      const order = `ORDER BY ts ${asc ? 'ASC' : 'DESC'}, id ${asc ? 'ASC' : 'DESC'}`;
      const limit = filter.limit + 1;
      if (filter.sessionId === undefined) {
        const { where, params } = conditions((name) => name);
        const rows = sqlite.prepare(`SELECT ${COLUMNS} FROM events ${where} ${order} LIMIT ?`).all(...params, limit) as EventRow[];
        return page(rows, filter.limit);
      }
      const rows = bySession(conditions, asc, limit) as EventRow[];
      return page(rows, filter.limit);
    },
    async findByEventId(eventId, sessionId) {
      const row = (sessionId === undefined ? byId.get(eventId) : byIdInSession.get(eventId, sessionId)) as EventRow | undefined;
      return row ? toEvent(row) : null;
    },
    async count() {
      return (countAll.get() as { n: number }).n;
    },
    async ping() {
      ping.get();
    },
  };
}

/**
 * Events of one session (migration 0005): those derived so far through session_events, in
 * its (session_id, ts, id) order, and the few above the derivation cursor straight from
 * events by id. One statement, so one snapshot: the cursor and session_events move together.
 * NOT INDEXED keeps the second part on its id range: left free, the planner walks all of
 * events through events_ts_idx to have it in order.
 */
function bySessionQuery(
  sqlite: SqliteDatabase['sqlite'],
): (
  conditions: (col: (name: string) => string) => { where: string; params: (string | number)[] },
  asc: boolean,
  limit: number,
) => unknown[] {
  const qualified = EVENT_COLUMNS.map((c) => `e.${c}`).join(', ');
  // se's copies of session_id, ts and id drive the scan; the rest are the event's own.
  const indexed = (name: string) => (name === 'session_id' || name === 'ts' || name === 'id' ? `se.${name}` : `e.${name}`);
  return (conditions, asc, limit) => {
    const a = conditions(indexed);
    const b = conditions((name) => name);
    const dir = asc ? 'ASC' : 'DESC';
    const [seOrder, order] = [`ORDER BY se.ts ${dir}, se.id ${dir}`, `ORDER BY ts ${dir}, id ${dir}`];
    const sql = `SELECT * FROM (SELECT ${qualified} FROM session_events se CROSS JOIN events e ON e.id = se.id ${a.where} ${seOrder} LIMIT ?)
      UNION ALL
      SELECT * FROM (SELECT ${COLUMNS} FROM events NOT INDEXED
        ${b.where ? `${b.where} AND` : 'WHERE'} id > (SELECT last_id FROM derivation_cursor WHERE name = 'sessions'))
      ${order} LIMIT ?`;
    return sqlite.prepare(sql).all(...a.params, limit, ...b.params, limit);
  };
}

function page(rows: EventRow[], limit: number): EventPage {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items: items.map(toEvent), next: more && last ? { ts: last.ts, id: last.id } : null };
}
