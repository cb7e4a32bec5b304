import type { PoolClient } from 'pg';
import type { PostgresDatabase } from '../../db/database.ts';
import { advisoryKey } from '../../db/migration-backend-postgres.ts';
import { withPostgresTransaction } from '../../db/postgres-transaction.ts';
import { parseDerivables } from '../events/derivable-event.ts';
import { eventMinuteDeltas } from './event-minutes.ts';
import { writeEventMinutes } from './event-minutes-postgres.ts';
import { deriveChanges } from './session-derivation.ts';
import type { DerivationPasses } from './session-deriver.ts';
import { writeSessionChanges } from './session-writer-postgres.ts';

/** Queue rows (one per ingest commit, so up to a few thousand events) per pass. */
const PASS_COMMITS = 32;

// Takes the oldest rows no other pass holds (or, waiting, every row up to $2); deleting
// them is what marks them derived, and it commits with the derived writes or not at all.
const TAKE = (wait: boolean) => `
DELETE FROM derivation_queue
 WHERE id IN (SELECT id FROM derivation_queue WHERE id <= $2 ORDER BY id LIMIT $1 FOR UPDATE${wait ? '' : ' SKIP LOCKED'})
RETURNING id, events`;

/** The lock that deletes and rebuilds take exclusively, and passes shared. */
export function deriveLockKey(db: PostgresDatabase): string {
  return advisoryKey(`hookd.derive.${db.schema}`);
}

/** Which queued commits are this process's own, and where the count of the others' events goes. */
export interface CommitOrigins {
  own: Set<string>;
  onOtherWriters(events: number): void;
}

/** Derives up to `commits` queued commits on `client`, inside its transaction; returns how many events. */
async function deriveTaken(client: PoolClient, wait: boolean, upTo: string, commits: number, origins?: CommitOrigins): Promise<number> {
  const { rows } = await client.query<{ id: string; events: string }>(TAKE(wait), [commits, upTo]);
  if (rows.length === 0) return 0;
  // Queue order is commit order within each process: arrival order for deriveChanges' ties.
  rows.sort((a, b) => Number(a.id) - Number(b.id));
  let others = 0;
  const events = rows.flatMap((r) => {
    const parsed = parseDerivables(r.events);
    // Counted when taken, not when committed: a pass that rolls back takes them again, a small overcount.
    if (origins && !origins.own.delete(String(r.id))) others += parsed.length;
    return parsed;
  });
  if (others > 0) origins?.onOtherWriters(others);
  const now = Date.now();
  await writeSessionChanges(client, deriveChanges(events), now);
  // Here, not in the session writer: a rebuild writes sessions again from the same events.
  await writeEventMinutes(client, eventMinuteDeltas(events, now));
  // The rules take these events from here, now that their sessions are up to date (rule-feed-postgres.ts).
  await client.query('INSERT INTO rule_queue (events) VALUES ($1)', [JSON.stringify(events.map((e) => [e.sessionId, e.eventId, e.ts]))]);
  return events.length;
}

const ALL = '9223372036854775807';

/** Derives every queued commit inside the caller's transaction (deletes and rebuilds start here). */
export async function deriveAllIn(client: PoolClient): Promise<number> {
  let total = 0;
  for (let n = await deriveTaken(client, true, ALL, PASS_COMMITS); n > 0; n = await deriveTaken(client, true, ALL, PASS_COMMITS))
    total += n;
  return total;
}

/**
 * PostgreSQL's derivation: a queue of committed-but-not-derived commits (migration 0005).
 * Passes of any number of processes share it (SKIP LOCKED). Deletes and rebuilds hold the
 * derive lock exclusively and derive the whole queue first, so no pass writes a session
 * back from events that are gone, and no rebuilt event is derived twice.
 */
export function createPostgresDerivation(db: PostgresDatabase, origins?: CommitOrigins): DerivationPasses {
  const pool = db.pool;
  const shared = { key: deriveLockKey(db), shared: true };
  // Passes of several processes may update one session row: they lock in one order
  // (deriveChanges sorts), and a rare deadlock or lock timeout simply runs again.
  const pass = (wait: boolean, upTo: string) =>
    withPostgresTransaction(pool, (client) => deriveTaken(client, wait, upTo, PASS_COMMITS, origins), {
      advisoryLock: shared,
      retries: 5,
      durable: false,
    });

  return {
    pass: () => pass(false, ALL),
    full: (derived) => derived > 0,
    async catchUp() {
      // Up to the newest commit queued now: under steady ingest this ends, and it covers
      // every commit acknowledged before the call.
      const { rows } = await pool.query<{ top: string | null }>('SELECT max(id)::text AS top FROM derivation_queue');
      const top = rows[0]?.top;
      if (top === null || top === undefined) return;
      // A pass can come back empty while rows remain: the ones it waited for were taken
      // by the pass that held them, and LIMIT had been applied before the wait.
      for (;;) {
        if ((await pass(true, top)) > 0) continue;
        const left = await pool.query('SELECT 1 FROM derivation_queue WHERE id <= $1 LIMIT 1', [top]);
        if (left.rowCount === 0) return;
      }
    },
  };
}
