import type { PoolClient } from 'pg';
import type { PostgresDatabase } from '../../db/database.ts';
import { advisoryKey } from '../../db/migration-backend-postgres.ts';
import { withPostgresTransaction } from '../../db/postgres-transaction.ts';
import { deriveChanges } from './session-derivation.ts';
import type { DerivationPasses } from './session-deriver.ts';
import { derivableEvent, type RebuildEventRow } from './session-rebuild.ts';
import { writeSessionChanges } from './session-writer-postgres.ts';

interface EventRow extends RebuildEventRow {
  ts: Date;
  data: Record<string, unknown>;
}

/** Queue rows (one per ingest commit, so up to a few thousand events) per pass. */
const PASS_COMMITS = 32;

// Takes the oldest rows no other pass holds; deleting them is what marks them derived, and
// it commits with the derived writes or not at all.
const TAKE = (wait: boolean) => `
DELETE FROM derivation_queue
 WHERE id IN (SELECT id FROM derivation_queue WHERE id <= $2 ORDER BY id LIMIT $1 FOR UPDATE${wait ? '' : ' SKIP LOCKED'})
RETURNING event_ids, (extract(epoch FROM min_ts) * 1000)::int8 AS min_ms, (extract(epoch FROM max_ts) * 1000)::int8 AS max_ms`;

// The time bounds prune the monthly partitions; each id is then one events_id_idx probe.
const READ = `
SELECT event_id, session_id, event_type, ts, source, team_id, "user", host, data
  FROM events
 WHERE id = ANY($1::int8[])
   AND ts BETWEEN (timestamptz 'epoch' + $2::int8 * interval '1 millisecond')
              AND (timestamptz 'epoch' + $3::int8 * interval '1 millisecond')
 ORDER BY id`;

/** The lock that deletes and rebuilds take exclusively, and passes shared (see deriveLock). */
export function deriveLockKey(db: PostgresDatabase): string {
  return advisoryKey(`hookd.derive.${db.schema}`);
}

/**
 * Derives the queued commits `take` returns, on `client` inside its transaction. Events
 * deleted since they were queued (DELETE /sessions) are simply not found.
 */
async function deriveTaken(client: PoolClient, wait: boolean, upTo: string, commits: number): Promise<number> {
  const { rows: taken } = await client.query<{ event_ids: string[]; min_ms: string; max_ms: string }>(TAKE(wait), [commits, upTo]);
  if (taken.length === 0) return 0;
  const ids = taken.flatMap((t) => t.event_ids);
  const min = taken.reduce((m, t) => Math.min(m, Number(t.min_ms)), Infinity);
  const max = taken.reduce((m, t) => Math.max(m, Number(t.max_ms)), -Infinity);
  const { rows } = await client.query<EventRow>({ name: 'hookd_derive_read', text: READ, values: [ids, min, max] });
  if (rows.length > 0) {
    const events = rows.map((r) => derivableEvent(r, r.ts.getTime(), r.data));
    await writeSessionChanges(client, deriveChanges(events), Date.now());
  }
  return ids.length;
}

const ALL = '9223372036854775807';

/** Derives every queued commit, inside the caller's transaction (a rebuild starts here). */
export async function deriveAllIn(client: PoolClient): Promise<number> {
  let total = 0;
  for (let n = await deriveTaken(client, true, ALL, PASS_COMMITS); n > 0; n = await deriveTaken(client, true, ALL, PASS_COMMITS)) total += n;
  return total;
}

/**
 * PostgreSQL's derivation: a queue of committed-but-not-derived commits (migration 0005).
 * Passes of any number of processes share it (SKIP LOCKED). Deletes and rebuilds hold the
 * derive lock exclusively, so no pass reads a session's events while they go.
 */
export function createPostgresDerivation(db: PostgresDatabase): DerivationPasses {
  const pool = db.pool;
  const shared = { key: deriveLockKey(db), shared: true };
  // Passes of several processes may update one session row: they lock in one order
  // (deriveChanges sorts), and a rare deadlock or lock timeout simply runs again.
  const pass = (wait: boolean, upTo: string) =>
    withPostgresTransaction(pool, (client) => deriveTaken(client, wait, upTo, PASS_COMMITS), { advisoryLock: shared, retries: 5 });

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
