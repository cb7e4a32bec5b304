import type { CanonicalEvent, NormalizedEvent } from './event.ts';
import type { EventTail } from './event-tail.ts';
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

export interface EventStore {
  /**
   * Stores every group in one transaction and returns, per group, how many of its
   * events were already stored (or came earlier in the same call), or why none was: a
   * group whose `teamBound` writer names another team's session (session-owners.ts).
   * Every stored event carries its session's team. Throws without storing anything when
   * any event cannot be stored.
   */
  writeGroups(groups: readonly (readonly NormalizedEvent[])[], teamBound?: readonly boolean[]): Promise<GroupOutcome[]>;
  query(filter: EventFilter): Promise<EventPage>;
  /** The event with this id; `sessionId` narrows it when ids were chosen by clients. */
  findByEventId(eventId: string, sessionId?: string): Promise<CanonicalEvent | null>;
  count(): Promise<number>;
  /** Throws when the storage cannot be reached. */
  ping(): Promise<void>;
  /**
   * A fresh reader of new events in commit order, for the live tail; absent where the
   * storage cannot be read back (JSONL).
   */
  openTail?(): EventTail;
}

export function keyOf(event: NormalizedEvent): string {
  return `${event.sessionId}\u0000${event.eventId}`;
}
