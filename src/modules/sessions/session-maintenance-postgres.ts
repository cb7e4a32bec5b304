import type { PoolClient } from 'pg';
import type { PostgresDatabase } from '../../db/database.ts';
import { withPostgresTransaction, type TransactionOptions } from '../../db/postgres-transaction.ts';
import { POSTGRES_DIALECT } from '../../db/sql-dialect.ts';
import { withdrawSessionAnalytics } from '../derivation/analytics-writer-postgres.ts';
import { withdrawSessionEventMinutes } from '../derivation/event-minutes-postgres.ts';
import { deriveChanges } from '../derivation/session-derivation.ts';
import { deriveAllIn, deriveLockKey } from '../derivation/session-deriver-postgres.ts';
import type { SessionMaintenanceStore, SessionRebuild } from './session-maintenance.ts';
import { REBUILD_PAGE, derivableEvent, sameRows, type RebuildEventRow } from '../derivation/session-rebuild.ts';
import { writeSessionChanges } from '../derivation/session-writer-postgres.ts';

const { timeParam } = POSTGRES_DIALECT;

interface EventRow extends RebuildEventRow {
  id: number;
  ts: Date;
  data: Record<string, unknown>;
}

type Row = Record<string, unknown>;

// Maintenance yields to ingest: it never waits long for a lock (so a deadlock is always
// broken on its side, before PostgreSQL's check would pick ingest) and tries again.
const YIELDING: TransactionOptions = { lockTimeoutMs: 200, retries: 20 };

// The events go through events_session_ts_idx in every monthly partition; their keys are
// found by primary key from the ids the delete returns.
const DELETE_EVENTS = `
WITH gone AS (
  DELETE FROM events WHERE session_id = $1 RETURNING event_id
), keys AS (
  DELETE FROM event_keys k USING gone WHERE k.event_id = gone.event_id AND k.session_id = $1 RETURNING 1
)
SELECT (SELECT count(*) FROM gone)::int8 AS events, (SELECT count(*) FROM keys)::int8 AS keys`;

const PAGE = `
SELECT id, event_id, session_id, event_type, ts, source, team_id, "user", host, task_id, data
  FROM events
 WHERE session_id = $1 AND (ts > ${timeParam('$2')} OR (ts = ${timeParam('$2')} AND id > $3::int8))
 ORDER BY ts, id LIMIT $4`;

const STALE = `UPDATE sessions SET ended_at = last_activity_at, end_reason = 'stale', updated_at = ${timeParam('$1')}
                WHERE ended_at IS NULL AND last_activity_at <= ${timeParam('$2')}`;

export function createPostgresSessionMaintenance(db: PostgresDatabase): SessionMaintenanceStore {
  const pool = db.pool;
  // No derivation pass runs while a session's rows are deleted or rebuilt: a pass that read
  // the events before they went would write the session back.
  const exclusive: TransactionOptions = { ...YIELDING, advisoryLock: { key: deriveLockKey(db) } };

  // Passes are held off (the exclusive lock above) while this runs, so the order in which
  // it takes row locks cannot meet a pass's in a circle.
  async function removeIn(client: PoolClient, sessionId: string): Promise<boolean> {
    // The queue holds copies of what the derivation reads of each event: derived now, the
    // rows below go with everything else, instead of coming back from a later pass.
    await deriveAllIn(client);
    await withdrawSessionAnalytics(client, sessionId);
    await withdrawSessionEventMinutes(client, sessionId, Date.now());
    await client.query('DELETE FROM session_agents WHERE session_id = $1', [sessionId]);
    await client.query('DELETE FROM token_usage WHERE session_id = $1', [sessionId]);
    await client.query('DELETE FROM session_tasks WHERE session_id = $1', [sessionId]);
    const tools = await client.query('DELETE FROM tool_uses WHERE session_id = $1', [sessionId]);
    const session = await client.query('DELETE FROM sessions WHERE session_id = $1', [sessionId]);
    const { rows } = await client.query<{ events: number; keys: number }>(DELETE_EVENTS, [sessionId]);
    return (tools.rowCount ?? 0) + (session.rowCount ?? 0) + rows[0]!.events + rows[0]!.keys > 0;
  }

  async function rebuildIn(client: PoolClient, sessionId: string, now: number): Promise<SessionRebuild> {
    const read = async () => ({
      session: (await client.query<Row>('SELECT * FROM sessions WHERE session_id = $1', [sessionId])).rows[0],
      toolUses: (await client.query<Row>('SELECT * FROM tool_uses WHERE session_id = $1 ORDER BY tool_use_id', [sessionId])).rows,
    });
    // Queued commits first, through the passes: the rebuilt rows then count every event
    // once, and what the rebuild read is off the queue.
    await deriveAllIn(client);
    const before = await read();
    await withdrawSessionAnalytics(client, sessionId);
    await client.query('DELETE FROM tool_uses WHERE session_id = $1', [sessionId]);
    await client.query('DELETE FROM sessions WHERE session_id = $1', [sessionId]);
    await client.query('DELETE FROM session_agents WHERE session_id = $1', [sessionId]);
    await client.query('DELETE FROM token_usage WHERE session_id = $1', [sessionId]);
    await client.query('DELETE FROM session_tasks WHERE session_id = $1', [sessionId]);
    let events = 0;
    let at = { ts: -1, id: 0 };
    for (;;) {
      const { rows } = await client.query<EventRow>(PAGE, [sessionId, at.ts, at.id, REBUILD_PAGE]);
      if (rows.length === 0) break;
      const batch = rows.map((r) => derivableEvent(r, r.ts.getTime(), r.data));
      await writeSessionChanges(client, deriveChanges(batch, { firstSeenOrder: true }), now);
      events += rows.length;
      const last = rows[rows.length - 1]!;
      at = { ts: last.ts.getTime(), id: last.id };
      if (rows.length < REBUILD_PAGE) break;
    }
    if (before.session?.end_reason === 'stale') {
      await client.query(
        `UPDATE sessions SET ended_at = last_activity_at, end_reason = 'stale' WHERE session_id = $1 AND ended_at IS NULL AND last_activity_at <= $2`,
        [sessionId, before.session.ended_at],
      );
    }
    const after = await read();
    const rowsOf = (row: Row | undefined) => (row ? [row] : []);
    const changed = !sameRows(rowsOf(before.session), rowsOf(after.session)) || !sameRows(before.toolUses, after.toolUses);
    // The row keeps when hookd first wrote it, and when it last changed.
    if (before.session && after.session) {
      await client.query('UPDATE sessions SET created_at = $1, updated_at = $2 WHERE session_id = $3', [
        before.session.created_at,
        changed ? after.session.updated_at : before.session.updated_at,
        sessionId,
      ]);
    }
    return { exists: after.session !== undefined, events, toolUses: after.toolUses.length, changed };
  }

  return {
    delete: (sessionId) => withPostgresTransaction(pool, (client) => removeIn(client, sessionId), exclusive),
    async sweepStale(cutoff, now) {
      const { rowCount } = await pool.query(STALE, [now, cutoff]);
      return rowCount ?? 0;
    },
    async nextSessionId(after) {
      // LEAST skips nulls; both sides are index probes (per partition for events).
      const { rows } = await pool.query<{ id: string | null }>(
        `SELECT LEAST((SELECT min(session_id) FROM events WHERE session_id > $1),
                      (SELECT min(session_id) FROM sessions WHERE session_id > $1)) AS id`,
        [after ?? ''],
      );
      return rows[0]?.id ?? null;
    },
    // One snapshot for the whole session: events committed after it are merged by a later
    // derivation pass on top of the rebuilt row, and a concurrent write to the same rows makes
    // this attempt fail with a serialization error and run again.
    rebuild: (sessionId, options) =>
      withPostgresTransaction(pool, (client) => rebuildIn(client, sessionId, options.now), {
        ...exclusive,
        isolation: 'repeatable read',
      }),
  };
}
