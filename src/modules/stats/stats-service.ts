import type { ReadScope } from '../../core/read-scope.ts';
import { parseSince } from '../analytics/analytics-service.ts';
import { MINUTE_MS, minuteHorizon } from '../derivation/event-minutes.ts';
import type { SessionDeriver } from '../derivation/session-deriver.ts';
import type { SessionStore } from '../sessions/session.ts';
import type { EventMinuteStore } from './event-minute-store.ts';

export interface EventStatsQuery {
  /** The window, in minutes up to now (1-1440). */
  minutes?: number;
  source?: string;
  team?: string;
}

export interface EventActivity {
  from: string;
  to: string;
  step_seconds: number;
  total: number;
  buckets: { at: string; events: number }[];
}

export interface SessionActivity {
  active: number;
  idle: number;
  ended: number;
  since: string;
}

const DEFAULT_MINUTES = 60;
const DEFAULT_SINCE = '24h';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A dashboard's live figures: events per minute from event_minutes, sessions by status from
 * the sessions' indexes; neither reads the events. Each read waits for the derivation first,
 * as reads of sessions do, so a client sees the events it just stored.
 */
export class StatsService {
  private readonly minutes: EventMinuteStore;
  private readonly sessions: SessionStore;
  private readonly deriver: SessionDeriver;
  private readonly now: () => number;

  constructor(minutes: EventMinuteStore, sessions: SessionStore, deriver: SessionDeriver, now: () => number = Date.now) {
    this.minutes = minutes;
    this.sessions = sessions;
    this.deriver = deriver;
    this.now = now;
  }

  /** Every minute of the window, oldest first, the last one the minute under way; zeros included. */
  async events(query: EventStatsQuery, scope: ReadScope): Promise<EventActivity> {
    const count = query.minutes ?? DEFAULT_MINUTES;
    const to = Math.floor(this.now() / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
    const from = to - count * MINUTE_MS;
    // A team-bound token reads its team's rows; naming another team finds nothing, as in analytics.
    const teamId = scope.teamId ?? query.team ?? null;
    const foreign = scope.teamId && query.team !== undefined && query.team !== scope.teamId;
    let perMinute = new Map<number, number>();
    if (!foreign) {
      await this.deriver.catchUp();
      perMinute = await this.minutes.perMinute({ from, to }, { teamId, ...(query.source !== undefined ? { source: query.source } : {}) });
    }
    const buckets = Array.from({ length: count }, (_, i) => {
      const at = from + i * MINUTE_MS;
      return { at: iso(at), events: perMinute.get(at) ?? 0 };
    });
    return { from: iso(from), to: iso(to), step_seconds: MINUTE_MS / 1000, total: buckets.reduce((n, b) => n + b.events, 0), buckets };
  }

  /** Open sessions active and idle now, and sessions ended since `since` (default 24h) back from now. */
  async sessionCounts(query: { since?: string }, scope: ReadScope): Promise<SessionActivity> {
    // A `since` reaching back before 1970 counts from 1970, the earliest time either storage holds.
    const since = Math.max(0, this.now() - parseSince(query.since ?? DEFAULT_SINCE));
    await this.deriver.catchUp();
    const counts = await this.sessions.counts(since, scope);
    return { ...counts, since: iso(since) };
  }

  /** Deletes the minute rows older than any window can reach (`hookd serve` runs it hourly); returns how many. */
  async prune(): Promise<number> {
    return this.minutes.prune(minuteHorizon(this.now()));
  }
}
