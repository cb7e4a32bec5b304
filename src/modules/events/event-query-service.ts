import { NotFoundError, ValidationError } from '../../errors/app-error.ts';
import type { CanonicalEvent } from './event.ts';
import type { EventFilter, EventPosition, EventStore } from './event-store.ts';

export interface EventQuery {
  session_id?: string;
  event_type?: string;
  source?: string;
  workflow_id?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

/** What a caller may see; a token bound to a team or session narrows every read. */
export interface ReadScope {
  teamId?: string | null;
  sessionId?: string | null;
}

export interface EventList {
  items: CanonicalEvent[];
  next_cursor: string | null;
}

export const MAX_PAGE = 1000;

export class EventQueryService {
  private readonly store: EventStore;

  constructor(store: EventStore) {
    this.store = store;
  }

  async list(query: EventQuery, scope: ReadScope = {}): Promise<EventList> {
    const filter = filterFromQuery(query);
    if (query.cursor !== undefined) filter.after = decodeCursor(query.cursor);
    if (scope.teamId) filter.teamId = scope.teamId;
    if (scope.sessionId) {
      if (filter.sessionId !== undefined && filter.sessionId !== scope.sessionId) return { items: [], next_cursor: null };
      filter.sessionId = scope.sessionId;
    }
    const page = await this.store.query(filter);
    return { items: page.items, next_cursor: page.next ? encodeCursor(page.next) : null };
  }

  async get(eventId: string, scope: ReadScope = {}, sessionId?: string): Promise<CanonicalEvent> {
    const event = await this.store.findByEventId(eventId, scope.sessionId ?? sessionId);
    // Another team's event is reported exactly like a missing one.
    if (!event || (scope.teamId && event.team_id !== scope.teamId)) throw new NotFoundError(`event ${eventId} not found`);
    return event;
  }
}

/** The filters of an event query (API names) as a store filter; shared by the API and export. */
export function filterFromQuery(query: EventQuery): EventFilter {
  const filter: EventFilter = { limit: Math.min(query.limit ?? 100, MAX_PAGE) };
  if (query.session_id !== undefined) filter.sessionId = query.session_id;
  if (query.event_type !== undefined) filter.eventType = query.event_type;
  if (query.source !== undefined) filter.source = query.source;
  if (query.workflow_id !== undefined) filter.workflowId = query.workflow_id;
  if (query.from !== undefined) filter.from = parseTime(query.from, 'from');
  if (query.to !== undefined) filter.to = parseTime(query.to, 'to');
  if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to) {
    throw new ValidationError([{ field: 'from', message: 'must not be after `to`' }]);
  }
  return filter;
}

export function encodeCursor(position: EventPosition): string {
  return Buffer.from(`${position.ts}.${position.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): EventPosition {
  const match = /^(\d{1,16})\.(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new ValidationError([{ field: 'cursor', message: 'is not a cursor hookd issued' }]);
  return { ts: Number(match[1]), id: Number(match[2]) };
}

// Year 9999: past it neither JavaScript dates nor PostgreSQL's bigint milliseconds and
// intervals from the epoch hold, so a filter beyond it is refused, not passed to a query.
export const LATEST_MS = 253_402_300_799_999;

/** ISO-8601 or epoch milliseconds, as in events, between 1970 and the year 9999. */
export function parseTime(value: string, field: string): number {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) throw new ValidationError([{ field, message: 'must be ISO-8601 or epoch milliseconds' }]);
  if (ms < 0 || ms > LATEST_MS) throw new ValidationError([{ field, message: 'must be between 1970 and the year 9999' }]);
  return ms;
}
