// "Acknowledged means durable", checked: after the server has stopped, the store must hold
// exactly the events it acknowledged, plus whatever was in flight when a load run was cut
// off (committed, but the reply never read). With autocannon every one of those is looked up
// by id; wrk only counts them, so the store must then fall within a range.
import type { Runtime } from '../src/runtime/runtime.ts';
import type { LoadResult, RequestRef } from './load.ts';

export interface Ledger {
  requests: number;
  ackedEvents: number;
  statusCounts: Record<string, number>;
  errors: number;
  timeouts: number;
  unanswered: RequestRef[];
  unansweredUnidentifiedEvents: number;
  refused: RequestRef[];
  refusedTotal: number;
  /** Of `ackedEvents`, those BENCH_HISTORY loaded before the measurements (bench/ingest-history.ts). */
  historyEvents: number;
}

export function emptyLedger(): Ledger {
  return {
    requests: 0,
    ackedEvents: 0,
    statusCounts: {},
    errors: 0,
    timeouts: 0,
    unanswered: [],
    unansweredUnidentifiedEvents: 0,
    refused: [],
    refusedTotal: 0,
    historyEvents: 0,
  };
}

/**
 * History batches the server acknowledged are acknowledged events like any other; those
 * still in flight when a load failed may or may not be stored, so they widen the range.
 */
export function recordHistory(ledger: Ledger, acknowledged: number, requests: number, inFlight = 0): void {
  ledger.requests += requests;
  ledger.ackedEvents += acknowledged;
  ledger.historyEvents += acknowledged;
  ledger.unansweredUnidentifiedEvents += inFlight;
}

export function record(ledger: Ledger, result: LoadResult): void {
  ledger.requests += result.acked + result.refusedTotal;
  ledger.ackedEvents += result.ackedEvents;
  for (const [status, count] of Object.entries(result.statusCounts)) {
    ledger.statusCounts[status] = (ledger.statusCounts[status] ?? 0) + count;
  }
  ledger.errors += result.errors;
  ledger.timeouts += result.timeouts;
  ledger.unanswered.push(...result.unanswered);
  ledger.unansweredUnidentifiedEvents += result.unansweredUnidentifiedEvents;
  ledger.refused.push(...result.refused);
  ledger.refusedTotal += result.refusedTotal;
}

export interface StoreCheck {
  stored: number;
  ackedEvents: number;
  unansweredRequests: number;
  /** Events of unanswered requests that turned out to be committed. */
  unansweredStoredEvents: number;
  refusedTotal: number;
  /** Events of non-2xx requests that are in the store anyway (should be none). */
  refusedStoredEvents: number;
  ok: boolean;
  summary: string;
}

async function storedEvents(runtime: Runtime, refs: readonly RequestRef[]): Promise<number> {
  let events = 0;
  for (const ref of refs) {
    // A request is one transaction: its first event being there means all of it is.
    if (await runtime.services.stores.events.findByEventId(ref.eventId, ref.sessionId)) events += ref.events;
  }
  return events;
}

export async function checkStore(runtime: Runtime, ledger: Ledger): Promise<StoreCheck> {
  const stored = await runtime.services.stores.events.count();
  const unansweredStoredEvents = await storedEvents(runtime, ledger.unanswered);
  const refusedStoredEvents = await storedEvents(runtime, ledger.refused);
  const expected = ledger.ackedEvents + unansweredStoredEvents + refusedStoredEvents;
  // In-flight requests without ids (wrk) may or may not have been committed: a range, not a figure.
  const unidentified = ledger.unansweredUnidentifiedEvents;
  const refusedKnown = ledger.refused.length === ledger.refusedTotal;
  const ok = stored >= expected && stored <= expected + unidentified && refusedStoredEvents === 0 && refusedKnown;
  const nonTwoxx = Object.entries(ledger.statusCounts)
    .filter(([status]) => !status.startsWith('2'))
    .map(([status, count]) => `${count} x ${status}`);
  const parts = [
    `stored ${stored.toLocaleString('en-US')} events`,
    `acknowledged (2xx) ${ledger.ackedEvents.toLocaleString('en-US')}` +
      (ledger.historyEvents ? `, ${ledger.historyEvents.toLocaleString('en-US')} of them history loaded before the measurements` : ''),
    unidentified
      ? `in flight when a run stopped: ${unidentified.toLocaleString('en-US')} events whose ids the load generator does not track, ${(stored - expected).toLocaleString('en-US')} of them committed`
      : `in flight when a run stopped: ${ledger.unanswered.length} requests, ${unansweredStoredEvents.toLocaleString('en-US')} events of them committed`,
    `non-2xx replies: ${nonTwoxx.length ? nonTwoxx.join(', ') : '0'}`,
    `connection errors ${ledger.errors}, timeouts ${ledger.timeouts}`,
  ];
  if (refusedStoredEvents > 0) parts.push(`${refusedStoredEvents} events of non-2xx requests were stored anyway`);
  if (!refusedKnown) parts.push(`only ${ledger.refused.length} of ${ledger.refusedTotal} refused requests could be checked`);
  const range = unidentified ? ` to ${(expected + unidentified).toLocaleString('en-US')}` : '';
  const verdict = !ok
    ? `MISMATCH: expected ${expected.toLocaleString('en-US')}${range} = acknowledged + committed in-flight, found ${stored.toLocaleString('en-US')}`
    : unidentified
      ? 'OK: the store holds the acknowledged events plus some of those in flight at a stop, within the possible range'
      : 'OK: every acknowledged event is stored, nothing else is';
  return {
    stored,
    ackedEvents: ledger.ackedEvents,
    unansweredRequests: ledger.unanswered.length,
    unansweredStoredEvents,
    refusedTotal: ledger.refusedTotal,
    refusedStoredEvents,
    ok,
    summary: `${verdict} (${parts.join('; ')})`,
  };
}
