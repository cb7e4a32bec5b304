import { FACT_KEYS, type EventFacts } from './event-facts.ts';
import type { NormalizedEvent } from './event.ts';

/** A stored event as the derivation reads it: its columns, and the facts of its `data`. */
export interface DerivableEvent
  extends Pick<NormalizedEvent, 'eventId' | 'sessionId' | 'eventType' | 'ts' | 'source' | 'teamId' | 'user' | 'host'> {
  facts: EventFacts;
}

/**
 * A DerivableEvent as one compact JSON array, the form PostgreSQL's derivation queue keeps
 * (migration 0005): a pass then derives from the queue row alone, without reading the
 * events and their payloads back. Field order: the event's columns, then FACT_KEYS.
 */
export function derivableJson(e: DerivableEvent): string {
  const f = e.facts;
  const row: unknown[] = [e.eventId, e.sessionId, e.eventType, e.ts, e.source, e.teamId, e.user, e.host];
  for (const key of FACT_KEYS) row.push(f[key]);
  return JSON.stringify(row);
}

const COLUMNS = 8;

/** The inverse of derivableJson, for a JSON array of such arrays. */
export function parseDerivables(json: string): DerivableEvent[] {
  return (JSON.parse(json) as unknown[][]).map((row) => {
    const facts: Record<string, unknown> = {};
    // Rows queued by an older hookd lack the facts added since: those read as null.
    for (let k = 0; k < FACT_KEYS.length; k++) facts[FACT_KEYS[k]!] = row[COLUMNS + k] ?? null;
    return {
      eventId: row[0] as string,
      sessionId: row[1] as string,
      eventType: row[2] as string,
      ts: row[3] as number,
      source: row[4] as string,
      teamId: row[5] as string | null,
      user: row[6] as string | null,
      host: row[7] as string | null,
      facts: facts as unknown as EventFacts,
    };
  });
}
