/**
 * Events per UTC minute of their time (table event_minutes, migration 0014), for the
 * dashboard's activity figures (GET /stats/events): the derivation passes add each event
 * once, as they take it, and deleting a session takes its events away; a rebuild leaves
 * events as they are, so it leaves these too. Each dialect writes the rows
 * (event-minutes-{sqlite,postgres}.ts); what they count is decided here.
 */
export const MINUTE_MS = 60_000;

/**
 * How long minute rows are kept: twice the longest window GET /stats/events serves (24
 * hours), so a window never reaches a minute being pruned, whenever the prune runs.
 */
export const EVENT_MINUTES_KEPT_MS = 48 * 3_600_000;

/**
 * The oldest minute counted at `now`: an event before it is not counted (its row is pruned
 * or soon will be), and a delete takes away only what it finds from here on, which the
 * passes counted, since the horizon only moves forward.
 */
export function minuteHorizon(now: number): number {
  return Math.ceil((now - EVENT_MINUTES_KEPT_MS) / MINUTE_MS) * MINUTE_MS;
}

/** The key of an event_minutes row: grain 'all' has team_id '', grain 'team' the event's team. */
export interface EventMinuteDelta {
  grain: 'all' | 'team';
  teamId: string;
  /** Start of the minute, epoch ms. */
  minute: number;
  source: string;
  events: number;
}

/** Events, or (`count`) events already summed per minute, team and source. */
export interface CountedEvent {
  ts: number;
  teamId: string | null;
  source: string;
  count?: number;
}

/**
 * What `events` add to the rows (`sign` -1: take away), those before the horizon left out.
 * Sorted by key, so concurrent PostgreSQL passes lock the rows they share in one order.
 */
export function eventMinuteDeltas(events: Iterable<CountedEvent>, now: number, sign: 1 | -1 = 1): EventMinuteDelta[] {
  const horizon = minuteHorizon(now);
  const rows = new Map<string, EventMinuteDelta>();
  const add = (grain: EventMinuteDelta['grain'], teamId: string, minute: number, source: string, n: number) => {
    const key = JSON.stringify([grain, teamId, minute, source]);
    const row = rows.get(key);
    if (row) row.events += n;
    else rows.set(key, { grain, teamId, minute, source, events: n });
  };
  for (const e of events) {
    if (e.ts < horizon) continue;
    const minute = Math.floor(e.ts / MINUTE_MS) * MINUTE_MS;
    const n = sign * (e.count ?? 1);
    add('all', '', minute, e.source, n);
    if (e.teamId !== null) add('team', e.teamId, minute, e.source, n);
  }
  return [...rows.values()].sort(
    (a, b) => compare(a.grain, b.grain) || compare(a.teamId, b.teamId) || a.minute - b.minute || compare(a.source, b.source),
  );
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** `rows`: the SELECT (or VALUES) yielding grain, team_id, minute, source, events. */
export function eventMinutesUpsertSql(rows: string): string {
  return `INSERT INTO event_minutes (grain, team_id, minute, source, events)
${rows}
ON CONFLICT (grain, team_id, minute, source) DO UPDATE SET events = event_minutes.events + excluded.events`;
}
