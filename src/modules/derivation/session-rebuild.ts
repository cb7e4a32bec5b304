import { factsOf } from '../events/event-facts.ts';
import type { DerivableEvent } from '../events/derivable-event.ts';

/**
 * What both dialects' rebuilds share. A rebuild reads a session's events in (ts, id) order
 * (event time, then arrival: the order the passes derive in) a page at a time and feeds each
 * page through the same deriveChanges and session writer as the passes, so the merge rules are
 * never written twice and a session of any size needs only a page in memory.
 */
export const REBUILD_PAGE = 1000;

/** The columns a rebuild reads of an event; times already as epoch ms. */
export interface RebuildEventRow {
  event_id: string;
  session_id: string;
  event_type: string;
  source: string;
  team_id: string | null;
  user: string | null;
  host: string | null;
  task_id: string | null;
}

/**
 * A stored event as the derivation needs it, for passes and rebuilds alike. Its facts come
 * from the stored `data`, after the capture policy, so a rebuild derives exactly what the
 * passes did.
 */
export function derivableEvent(row: RebuildEventRow, ts: number, data: Record<string, unknown>): DerivableEvent {
  return {
    eventId: row.event_id,
    sessionId: row.session_id,
    eventType: row.event_type,
    ts,
    source: row.source,
    teamId: row.team_id,
    user: row.user,
    host: row.host,
    facts: factsOf(row.event_type, data, row.task_id),
  };
}

// Bookkeeping: when hookd wrote a row, and tool_uses' surrogate key; neither comes from events.
const BOOKKEEPING = new Set(['created_at', 'updated_at', 'id']);

const comparable = (value: unknown): unknown => (value instanceof Date ? value.getTime() : value);

/** True when two lists of rows (in the same order) agree on every derived column. */
export function sameRows(a: readonly Record<string, unknown>[], b: readonly Record<string, unknown>[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    for (const key of new Set([...Object.keys(x), ...Object.keys(y)])) {
      if (!BOOKKEEPING.has(key) && comparable(x[key]) !== comparable(y[key])) return false;
    }
  }
  return true;
}
