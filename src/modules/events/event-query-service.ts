import { NotFoundError, ValidationError } from '../../core/app-error.ts';
import { parseTime } from '../../core/parse-time.ts';
import type { ReadScope } from '../../core/read-scope.ts';
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
