import type { PoolClient } from 'pg';
import { POSTGRES_DIALECT } from '../../db/sql-dialect.ts';
import { type EventMinuteDelta, eventMinuteDeltas, eventMinutesUpsertSql, minuteHorizon } from './event-minutes.ts';

const { timeFromMs, timeParam, msFrom } = POSTGRES_DIALECT;

// Rows come sorted (eventMinuteDeltas), and ORDER BY keeps that order: concurrent passes
// lock the rows they share in the same sequence.
const WRITE_SQL = eventMinutesUpsertSql(`SELECT grain, team_id, ${timeFromMs('minute_ms')}, source, events
    FROM unnest($1::text[], $2::text[], $3::int8[], $4::text[], $5::int8[]) WITH ORDINALITY AS m(grain, team_id, minute_ms, source, events, n)
   ORDER BY n`);

// A session's events of the counted minutes, through events_session_ts_idx.
const SESSION_COUNTS_SQL = `
SELECT ${msFrom("date_trunc('minute', ts, 'UTC')")} AS minute, team_id, source, count(*) AS n
  FROM events WHERE session_id = $1 AND ts >= ${timeParam('$2')} GROUP BY 1, 2, 3`;

/** Adds deltas to event_minutes on `client`, inside the caller's transaction. */
export async function writeEventMinutes(client: PoolClient, deltas: readonly EventMinuteDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  await client.query({
    name: 'hookd_write_event_minutes',
    text: WRITE_SQL,
    values: [
      deltas.map((d) => d.grain),
      deltas.map((d) => d.teamId),
      deltas.map((d) => d.minute),
      deltas.map((d) => d.source),
      deltas.map((d) => d.events),
    ],
  });
}

/** Takes a session's events out of event_minutes, before they are deleted; inside the caller's transaction. */
export async function withdrawSessionEventMinutes(client: PoolClient, sessionId: string, now: number): Promise<void> {
  const { rows } = await client.query<{ minute: string; team_id: string | null; source: string; n: string }>(SESSION_COUNTS_SQL, [
    sessionId,
    minuteHorizon(now),
  ]);
  const events = rows.map((r) => ({ ts: Number(r.minute), teamId: r.team_id, source: r.source, count: Number(r.n) }));
  await writeEventMinutes(client, eventMinuteDeltas(events, now, -1));
}
