import type { SqliteDriver } from '../../db/database.ts';
import { derivedCommits } from '../../db/derived-commits.ts';
import { eventMinuteDeltas } from './event-minutes.ts';
import { createSqliteEventMinutesWriter } from './event-minutes-sqlite.ts';
import { deriveChanges } from './session-derivation.ts';
import type { DerivationPasses } from './session-deriver.ts';
import { derivableEvent, type RebuildEventRow } from './session-rebuild.ts';
import { createSqliteSessionWriter } from './session-writer-sqlite.ts';
import type { KnownEvents } from '../events/known-events.ts';

interface EventRow extends RebuildEventRow {
  id: number;
  ts: number;
}

/**
 * Events per pass: a pass holds the write lock, and on the thread that answers HTTP
 * (synchronous=NORMAL, the CLI) the event loop, for a time that grows with its events. A
 * pass after a commit takes at most SQLITE_PASS_EVENTS, so single events wait little
 * behind it; while passes come back full (a backlog: batches, a restart) each next one
 * takes twice as many, up to SQLITE_PASS_EVENTS_MAX. Most of a pass's cost is writing the
 * pages it touched (sessions, tool calls, rollups), once per pass however many events
 * touched them, so larger passes derive a backlog at a higher rate, at the price of
 * longer waits for the acknowledgements queued behind them (docs/performance.md).
 */
export const SQLITE_PASS_EVENTS = 128;
export const SQLITE_PASS_EVENTS_MAX = 1024;

/** SQLite's derivation: a cursor over events.id, which SQLite hands out in commit order. */
export interface SqliteDerivation extends DerivationPasses {
  /** Derives everything pending inside the caller's transaction (a rebuild must start from here). */
  deriveAllIn(): number;
  /** The synchronous forms, for the write thread and the CLI. */
  passSync(): number;
  catchUpSync(): void;
}

/**
 * `known`: events this process stored, by id, with the facts read at ingest; a pass takes
 * them from here and parses the stored JSON only of the others (written by other
 * processes, or before a restart). The caller adds entries only after their commit.
 */
export function createSqliteDerivation(
  sqlite: SqliteDriver,
  known?: KnownEvents,
  onOtherWriters?: (events: number) => void,
): SqliteDerivation {
  const writeDerived = createSqliteSessionWriter(sqlite);
  const writeMinutes = createSqliteEventMinutesWriter(sqlite);
  const cursor = sqlite.prepare(`SELECT last_id FROM derivation_cursor WHERE name = 'sessions'`).pluck();
  const pending = sqlite
    .prepare(`SELECT EXISTS (SELECT 1 FROM events WHERE id > (SELECT last_id FROM derivation_cursor WHERE name = 'sessions'))`)
    .pluck();
  const newest = sqlite.prepare('SELECT COALESCE(max(id), 0) FROM events').pluck();
  // Without `data`: copying it into JavaScript strings is most of a read's cost.
  const read = sqlite.prepare(
    `SELECT id, event_id, session_id, event_type, ts, source, team_id, user, host, task_id FROM events WHERE id > ? ORDER BY id LIMIT ?`,
  );
  const dataOf = sqlite.prepare('SELECT data FROM events WHERE id = ?').pluck();
  const move = sqlite.prepare(`UPDATE derivation_cursor SET last_id = ? WHERE name = 'sessions'`);
  // Events by session (migration 0005): filled here, a pass's worth of pages at a time.
  const bySession = sqlite.prepare('INSERT INTO session_events (session_id, ts, id) VALUES (?, ?, ?)');

  // Reads and moves the cursor inside one transaction: no other connection can derive the
  // same events in between, SQLite lets one writer at a time.
  const deriveNext = (limit: number): number => {
    const rows = read.all(cursor.get() as number, limit) as EventRow[];
    if (rows.length === 0) return 0;
    // Id order is arrival order: deriveChanges breaks ties of event time with it.
    let others = 0;
    const events = rows.map((r) => {
      const mine = known?.get(r.id);
      if (mine) return mine;
      others++;
      return derivableEvent(r, r.ts, JSON.parse(dataOf.get(r.id) as string) as Record<string, unknown>);
    });
    // Stored by another writer (`hookd emit` into the file, another process): its own counters never saw them.
    if (others > 0) onOtherWriters?.(others);
    const now = Date.now();
    writeDerived(deriveChanges(events), now);
    // Here, not in the session writer: a rebuild writes sessions again from the same events.
    writeMinutes(eventMinuteDeltas(events, now));
    for (const r of rows) bySession.run(r.session_id, r.ts, r.id);
    const last = rows[rows.length - 1]!.id;
    move.run(last);
    forgetThrough(last);
    return rows.length;
  };
  // Ids come in ascending order, so the map's oldest entries are the derived ones. Entries
  // some other connection derived (a rebuild, the CLI) go the same way at the next pass.
  const forgetThrough = (id: number) => {
    if (!known) return;
    for (const key of known.keys()) {
      if (key > id) break;
      known.delete(key);
    }
  };
  const passTx = sqlite.transaction((limit: number) => deriveNext(limit)).immediate;
  const derived = derivedCommits(sqlite);
  // The size of the next pass, and whether the last one came back full.
  let passEvents = SQLITE_PASS_EVENTS;
  let lastFull = false;

  // A read first: with nothing pending a pass takes no write lock at all.
  const passSync = (): number => {
    const limit = passEvents;
    const n = pending.get() ? derived(() => passTx(limit)) : 0;
    lastFull = n >= limit;
    passEvents = lastFull ? Math.min(limit * 2, SQLITE_PASS_EVENTS_MAX) : SQLITE_PASS_EVENTS;
    return n;
  };
  const catchUpSync = (): void => {
    const target = newest.get() as number;
    while ((cursor.get() as number) < target && passSync() > 0);
  };

  return {
    passSync,
    catchUpSync,
    async pass() {
      return passSync();
    },
    full: () => lastFull,
    async catchUp() {
      // Gives way between passes: on the thread that answers HTTP, a read waiting for a
      // backlog must not hold every other request until the whole of it is derived.
      const target = newest.get() as number;
      while ((cursor.get() as number) < target && passSync() > 0) await new Promise((resolve) => setImmediate(resolve));
    },
    deriveAllIn() {
      let total = 0;
      for (let n = deriveNext(SQLITE_PASS_EVENTS_MAX); n > 0; n = deriveNext(SQLITE_PASS_EVENTS_MAX)) total += n;
      return total;
    },
  };
}
