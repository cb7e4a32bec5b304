import type { CanonicalEvent, NormalizedEvent } from './event.ts';
import type { GroupOutcome } from './session-owners.ts';

export interface EventFilter {
  sessionId?: string;
  eventType?: string;
  source?: string;
  workflowId?: string;
  teamId?: string;
  /** Inclusive lower bound of event time, epoch ms. */
  from?: number;
  /** Exclusive upper bound of event time, epoch ms. */
  to?: number;
  limit: number;
  /** Newest first (the default, for people) or oldest first (for export). */
  order?: 'desc' | 'asc';
  /** Continue after this position, in the chosen order. */
  after?: EventPosition;
}

/** A place in the event order: event time, then store row id. */
export interface EventPosition {
  ts: number;
  id: number;
}

export interface EventPage {
  items: CanonicalEvent[];
  /** Position of the last item when more may follow. */
  next: EventPosition | null;
}

/** Where events are appended: every storage, JSONL included. */
export interface EventLog {
  /**
   * Stores every group in one transaction and returns, per group, how many of its
   * events were already stored (or came earlier in the same call), or why none was: a
   * group whose `teamBound` writer names another team's session (session-owners.ts).
   * Every stored event carries its session's team. Throws without storing anything when
   * any event cannot be stored.
   */
  writeGroups(groups: readonly (readonly NormalizedEvent[])[], teamBound?: readonly boolean[]): Promise<GroupOutcome[]>;
  /** Throws when the storage cannot be reached. */
  ping(): Promise<void>;
}

/** An event log that can be read back: SQLite and PostgreSQL. */
export interface EventStore extends EventLog {
  query(filter: EventFilter): Promise<EventPage>;
  /** The event with this id; `sessionId` narrows it when ids were chosen by clients. */
  findByEventId(eventId: string, sessionId?: string): Promise<CanonicalEvent | null>;
  count(): Promise<number>;
}

export function keyOf(event: NormalizedEvent): string {
  return `${event.sessionId}\u0000${event.eventId}`;
}
