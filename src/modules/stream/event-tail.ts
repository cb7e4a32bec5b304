import type { CanonicalEvent } from '../events/event.ts';

/** An event with its store row id, the order the tail reads in. */
export interface TailItem {
  id: number;
  event: CanonicalEvent;
}

export interface TailPoll {
  /** Events that became visible since the previous poll, ascending id. */
  items: TailItem[];
  /** More are waiting beyond the poll's limit: poll again at once. */
  more: boolean;
}

/** What a stream asks for, in store terms; scope restrictions already merged in. */
export interface StreamFilter {
  sessionId?: string;
  eventType?: string;
  source?: string;
  workflowId?: string;
  teamId?: string;
  /** Matches nothing: a session-bound token asked for another session (GET /events answers an empty page). */
  none?: boolean;
}

/**
 * Reads the events table in commit order without gaps: one per process (the stream
 * hub's), whatever the number of open streams. Dialect files: event-tail-sqlite.ts,
 * event-tail-postgres.ts.
 */
export interface EventTail {
  /** Positions the reader at the current end: what is stored already is not returned. */
  start(): Promise<void>;
  poll(): Promise<TailPoll>;
  /**
   * Every id <= safe has been returned by poll(), or was there before start(), or will
   * never exist. A stream that has received everything the hub dispatched may resume
   * from here.
   */
  readonly safe: number;
  /** Every id <= top has been returned, was there before start(), or is still awaited. */
  readonly top: number;
  /** False while ids <= the start point may still commit (PostgreSQL, first polls). */
  readonly settled: boolean;
  /** Stored events matching the filter with after < id <= upTo, ascending, at most `limit`. */
  replay(filter: StreamFilter, after: number, upTo: number, limit: number): Promise<TailItem[]>;
}

export function matchesStream(filter: StreamFilter, event: CanonicalEvent): boolean {
  return (
    !filter.none &&
    (filter.sessionId === undefined || event.session_id === filter.sessionId) &&
    (filter.eventType === undefined || event.event_type === filter.eventType) &&
    (filter.source === undefined || event.source === filter.source) &&
    (filter.workflowId === undefined || event.workflow_id === filter.workflowId) &&
    (filter.teamId === undefined || event.team_id === filter.teamId)
  );
}

/** The filter's equality conditions as [column, value] pairs, for the dialects' replay queries. */
export function streamConditions(filter: StreamFilter): [string, string][] {
  const pairs: [string, string | undefined][] = [
    ['session_id', filter.sessionId],
    ['event_type', filter.eventType],
    ['source', filter.source],
    ['workflow_id', filter.workflowId],
    ['team_id', filter.teamId],
  ];
  return pairs.filter((p): p is [string, string] => p[1] !== undefined);
}
