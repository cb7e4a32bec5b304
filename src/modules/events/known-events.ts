import type { DerivableEvent } from './derivable-event.ts';

// Kept apart from the derivation itself: the event writers (and `hookd emit`, which must
// start fast) record what they stored without loading the passes and their writers.

/** Events this process stored and has not derived yet, by id (see createSqliteDerivation). */
export type KnownEvents = Map<number, DerivableEvent>;

// Bounded: past it a pass reads the rest back from the file instead.
const KNOWN_MAX = 200_000;

/**
 * Collects the events a write stores, for `known`. Entries are added only once the write
 * has committed (`commit`): a rolled-back insert's id is handed out again.
 */
export function knownEventsCollector(known: KnownEvents): { stored(id: number, e: DerivableEvent): void; commit(): void; discard(): void } {
  let pending: [number, DerivableEvent][] = [];
  return {
    stored(id, e) {
      // Without dataJson, the bulk of an event, which the derivation does not read.
      pending.push([
        id,
        {
          eventId: e.eventId,
          sessionId: e.sessionId,
          eventType: e.eventType,
          ts: e.ts,
          source: e.source,
          teamId: e.teamId,
          user: e.user,
          host: e.host,
          facts: e.facts,
        },
      ]);
    },
    commit() {
      for (const [id, e] of pending) {
        if (known.size >= KNOWN_MAX) break;
        known.set(id, e);
      }
      pending = [];
    },
    discard() {
      pending = [];
    },
  };
}
