import type { SqliteDriver } from '../../db/database.ts';
import { deriveChanges } from './session-derivation.ts';
import type { DerivationPasses } from './session-deriver.ts';
import { derivableEvent, type RebuildEventRow } from './session-rebuild.ts';
import { createSqliteSessionWriter } from './session-writer-sqlite.ts';

interface EventRow extends RebuildEventRow {
  id: number;
  ts: number;
  data: string;
}

/**
 * Events per pass: a pass holds the write lock (and, on the main thread, the event loop)
 * for about 10 µs per event, so a few milliseconds at most.
 */
export const SQLITE_PASS_EVENTS = 500;

/** SQLite's derivation: a cursor over events.id, which SQLite hands out in commit order. */
export interface SqliteDerivation extends DerivationPasses {
  /** Derives everything pending inside the caller's transaction (a rebuild must start from here). */
  deriveAllIn(): number;
  /** The synchronous forms, for the write thread and the CLI. */
  passSync(): number;
  catchUpSync(): void;
}

export function createSqliteDerivation(sqlite: SqliteDriver): SqliteDerivation {
  const writeDerived = createSqliteSessionWriter(sqlite);
  const cursor = sqlite.prepare(`SELECT last_id FROM derivation_cursor WHERE name = 'sessions'`).pluck();
  const pending = sqlite
    .prepare(`SELECT EXISTS (SELECT 1 FROM events WHERE id > (SELECT last_id FROM derivation_cursor WHERE name = 'sessions'))`)
    .pluck();
  const newest = sqlite.prepare('SELECT COALESCE(max(id), 0) FROM events').pluck();
  const read = sqlite.prepare(
    `SELECT id, event_id, session_id, event_type, ts, source, team_id, user, host, data
       FROM events WHERE id > ? ORDER BY id LIMIT ?`,
  );
  const move = sqlite.prepare(`UPDATE derivation_cursor SET last_id = ? WHERE name = 'sessions'`);

  // Reads and moves the cursor inside one transaction: no other connection can derive the
  // same events in between, SQLite lets one writer at a time.
  const deriveNext = (limit: number): number => {
    const rows = read.all(cursor.get() as number, limit) as EventRow[];
    if (rows.length === 0) return 0;
    // Id order is arrival order: deriveChanges breaks ties of event time with it.
    const events = rows.map((r) => derivableEvent(r, r.ts, JSON.parse(r.data) as Record<string, unknown>));
    writeDerived(deriveChanges(events), Date.now());
    move.run(rows[rows.length - 1]!.id);
    return rows.length;
  };
  const passTx = sqlite.transaction(() => deriveNext(SQLITE_PASS_EVENTS)).immediate;

  // A read first: with nothing pending a pass takes no write lock at all.
  const passSync = (): number => (pending.get() ? passTx() : 0);
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
    full: (derived) => derived >= SQLITE_PASS_EVENTS,
    async catchUp() {
      catchUpSync();
    },
    deriveAllIn() {
      let total = 0;
      for (let n = deriveNext(SQLITE_PASS_EVENTS); n > 0; n = deriveNext(SQLITE_PASS_EVENTS)) total += n;
      return total;
    },
  };
}
