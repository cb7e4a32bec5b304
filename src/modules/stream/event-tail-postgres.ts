import type { PostgresDatabase } from '../../db/database.ts';
import { COLUMNS, toEvent, type EventRow } from '../events/event-row-postgres.ts';
import { streamConditions, type EventTail, type TailItem } from './event-tail.ts';
import { IdWatermark, parseSnapshot } from './id-watermark.ts';

const POLL_LIMIT = 1000;
/** Hole ids re-read per poll; only a pile of rolled-back batches could exceed it, and they wait. */
const HOLE_LIMIT = 20_000;
/** How long `safe` may wait on a transaction before we ask whether it writes events at all. */
const STALL_MS = 1000;

// One statement, so one snapshot: the rows above `top`, the holes re-read, and the
// snapshot itself (pg_current_snapshot() reports the statement's snapshot in READ
// COMMITTED), which tells id-watermark.ts when the holes may be forgotten. The LEFT JOIN
// keeps a row, and so the snapshot, when nothing is new. Both reads use events_id_idx
// (migration 0004), so a poll costs what it returns and re-reads, whatever the table's size.
const POLL_SQL = `
SELECT s.snap, e.*
  FROM (SELECT pg_current_snapshot()::text AS snap) s
  LEFT JOIN LATERAL (
    (SELECT ${COLUMNS} FROM events WHERE id > $1 ORDER BY id LIMIT $2)
    UNION ALL
    (SELECT ${COLUMNS} FROM events WHERE id = ANY($3::int8[]))
  ) e ON true`;

// Transactions holding a write lock on events or one of its partitions. A prepared
// (two-phase) transaction shows no pid, so we cannot tell its xid: then nothing is pruned.
const WRITERS_SQL = `
SELECT bool_or(l.pid IS NULL) AS prepared,
       coalesce(array_agg(DISTINCT t.transactionid::text::int8) FILTER (WHERE t.transactionid IS NOT NULL), '{}') AS xids
  FROM pg_locks l
  LEFT JOIN pg_locks t ON t.pid = l.pid AND t.locktype = 'transactionid' AND t.mode = 'ExclusiveLock' AND t.granted
 WHERE l.locktype = 'relation' AND l.mode = 'RowExclusiveLock'
   AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
   AND l.relation IN (SELECT relid FROM pg_partition_tree('events'::regclass))`;

interface PollRow extends Partial<EventRow> {
  snap: string;
}

/** The gap-safe reader of PostgreSQL's events in commit order; the reasoning is in id-watermark.ts. */
export function createPostgresEventTail(db: PostgresDatabase): EventTail {
  const pool = db.pool;
  let mark: IdWatermark | null = null;
  let lastPrune = 0;

  const watermark = (): IdWatermark => {
    if (!mark) throw new Error('event tail used before start()');
    return mark;
  };

  async function pruneIfStalled(m: IdWatermark, now: number): Promise<void> {
    const since = m.blockedSince();
    if (since === null || now - since < STALL_MS || now - lastPrune < STALL_MS) return;
    lastPrune = now;
    // int8[] arrives as strings (only scalar int8 has a number parser).
    const { rows } = await pool.query<{ prepared: boolean | null; xids: string[] }>(WRITERS_SQL);
    if (!rows[0]?.prepared) m.prune(new Set((rows[0]?.xids ?? []).map(Number)));
  }

  return {
    get safe() {
      return watermark().safe;
    },
    get top() {
      return watermark().top;
    },
    get settled() {
      return mark?.settled ?? false;
    },
    async start() {
      // The sequence is read before the first poll's snapshot is taken: every id up to
      // here was handed out before that snapshot, so its transaction is in the snapshot's
      // xip or done (see id-watermark.ts), and the first release makes the start settled.
      const { rows } = await pool.query<{ top: number }>(
        `SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END AS top
           FROM ${await sequenceOf(pool)}`,
      );
      mark = new IdWatermark(rows[0]!.top);
    },
    async poll() {
      const m = watermark();
      // Before the read, never between apply() and the return: `safe` must not move
      // ahead of what the caller has dispatched while it awaits something else.
      await pruneIfStalled(m, Date.now());
      const { rows } = await pool.query<PollRow>(POLL_SQL, [m.top, POLL_LIMIT, m.holeIds(HOLE_LIMIT)]);
      const snapshot = parseSnapshot(rows[0]!.snap);
      const found = rows.filter((r): r is PollRow & EventRow => r.id !== null && r.id !== undefined).sort((a, b) => a.id - b.id);
      const above = found.filter((r) => r.id > m.top).length;
      m.apply(
        found.map((r) => r.id),
        snapshot,
        Date.now(),
      );
      return { items: found.map((row) => ({ id: row.id, event: toEvent(row) })), more: above === POLL_LIMIT };
    },
    async replay(filter, after, upTo, limit) {
      if (filter.none) return [];
      const conditions = streamConditions(filter);
      const params: unknown[] = [after, upTo, ...conditions.map(([, value]) => value), limit];
      const where = ['id > $1', 'id <= $2', ...conditions.map(([column], i) => `${column} = $${i + 3}`)];
      const { rows } = await pool.query<EventRow>(
        `SELECT ${COLUMNS} FROM events WHERE ${where.join(' AND ')} ORDER BY id LIMIT $${params.length}`,
        params,
      );
      return rows.map((row): TailItem => ({ id: row.id, event: toEvent(row) }));
    },
  };
}

/** The schema-qualified, quoted name of events.id's sequence. */
async function sequenceOf(pool: PostgresDatabase['pool']): Promise<string> {
  const { rows } = await pool.query<{ seq: string | null }>("SELECT pg_get_serial_sequence('events', 'id') AS seq");
  const seq = rows[0]?.seq;
  if (!seq) throw new Error('events.id has no sequence');
  return seq;
}
