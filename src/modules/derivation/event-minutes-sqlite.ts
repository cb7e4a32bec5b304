import type { SqliteDriver } from '../../db/database.ts';
import {
  type CountedEvent,
  type EventMinuteDelta,
  eventMinuteDeltas,
  eventMinutesUpsertSql,
  MINUTE_MS,
  minuteHorizon,
} from './event-minutes.ts';

export type SqliteEventMinutesWriter = (deltas: readonly EventMinuteDelta[]) => void;

/** Adds deltas to event_minutes; runs inside the caller's transaction. */
export function createSqliteEventMinutesWriter(sqlite: SqliteDriver): SqliteEventMinutesWriter {
  const upsert = sqlite.prepare(eventMinutesUpsertSql('VALUES (?, ?, ?, ?, ?)'));
  return (deltas) => {
    for (const d of deltas) upsert.run(d.grain, d.teamId, d.minute, d.source, d.events);
  };
}

/**
 * Takes a session's events out of event_minutes, before they are deleted; runs inside the
 * caller's transaction, after every pending event is derived (so session_events holds them all).
 */
export function createSqliteEventMinutesWithdrawal(sqlite: SqliteDriver): (sessionId: string, now: number) => void {
  const counts = sqlite.prepare(
    `SELECT e.ts / ${MINUTE_MS} * ${MINUTE_MS} AS minute, e.team_id, e.source, count(*) AS n
       FROM session_events se CROSS JOIN events e ON e.id = se.id
      WHERE se.session_id = ? AND se.ts >= ? GROUP BY 1, 2, 3`,
  );
  const write = createSqliteEventMinutesWriter(sqlite);
  return (sessionId, now) => {
    const rows = counts.all(sessionId, minuteHorizon(now)) as { minute: number; team_id: string | null; source: string; n: number }[];
    const events: CountedEvent[] = rows.map((r) => ({ ts: r.minute, teamId: r.team_id, source: r.source, count: r.n }));
    write(eventMinuteDeltas(events, now, -1));
  };
}
