// BENCH_HISTORY for bench:ingest: how fast ingest runs on a store that already holds a
// history, not only on an empty one. Before each size's measurements a storage's store is
// topped up through POST /events/batch with the realistic sessions bench:analytics loads
// (time order, UUIDv7 ids), until it holds that many acknowledged events; what earlier sizes'
// runs stored counts toward it, so "at 10M" means the store held 10M events, not 10M plus
// whatever the runs before added. Then the derivation catches up, so the measurements do not
// start beside the history's backlog, and the size on disk is read.
import { waitForDerivation } from './analytics-check.ts';
import { analyticsSessions, type DatasetFacts, emptyFacts, type WireEvent } from './analytics-data.ts';
import { loadSessions } from './analytics-load.ts';
import { databaseSize, mib } from './database-size.ts';
import { type Ledger, recordHistory } from './store-check.ts';
import type { HistoryStage, StorageRun } from './summary.ts';

// As bench:analytics loads it: the same sessions, batched the same way.
const SEED = 20_251_001;
const BATCH_SIZE = 1000;
const CONCURRENCY = 4;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** "0", "20k", "1M", "10M" or the count itself: column headings. */
export function historyLabel(n: number): string {
  if (n > 0 && n % 1_000_000 === 0) return `${n / 1_000_000}M`;
  if (n > 0 && n % 1000 === 0) return `${n / 1000}k`;
  return n.toLocaleString('en-US');
}

/**
 * Sessions of `sessions` until `facts` counts `limit` events. It calls next() itself instead of
 * for-of, which would close the generator when done: the next size carries on where this one stopped.
 */
function* upTo(sessions: Iterator<WireEvent[]>, facts: DatasetFacts, limit: number): Generator<WireEvent[]> {
  while (facts.events < limit) {
    const next = sessions.next();
    if (next.done) return;
    yield next.value;
  }
}

export interface HistoryOptions {
  baseUrl: string;
  /** The database's, as handed to the server: for its size on disk. */
  env: Record<string, string>;
  /** The target's: history counts as acknowledged, and what the store holds is read from it. */
  ledger: Ledger;
  /** Gets one stage per size. */
  run: StorageRun;
  /** The last BENCH_HISTORY size: the generator spreads its sessions over 30 days for that many. */
  largest: number;
  /** Shared by every storage, so each gets the very same events. */
  now: number;
  log: (line: string) => void;
}

export interface HistoryLoader {
  /** Tops the store up to `target` events, waits for the derivation, reads the size; starts the size's stage. */
  loadTo(target: number): Promise<HistoryStage>;
}

export function historyLoader(o: HistoryOptions): HistoryLoader {
  const facts = emptyFacts();
  const sessions = analyticsSessions({ events: o.largest, seed: SEED, now: o.now, order: 'time' }, facts);
  return {
    async loadTo(target) {
      const need = target - o.ledger.ackedEvents;
      let load: HistoryStage['load'] = null;
      if (need > 0) {
        // Every session generated so far was loaded: a failed load ends the target.
        const before = facts.events;
        let acknowledged = 0;
        let requests = 0;
        const figures = await loadSessions(o.baseUrl, upTo(sessions, facts, before + need), {
          batchSize: BATCH_SIZE,
          concurrency: CONCURRENCY,
          onProgress(events) {
            acknowledged = events;
            requests++;
          },
        }).catch((error: unknown) => {
          recordHistory(o.ledger, acknowledged, requests, facts.events - before - acknowledged);
          throw error;
        });
        recordHistory(o.ledger, figures.events, figures.requests);
        if (figures.duplicates) o.log(`history: ${fmt(figures.duplicates)} events were already stored (the ids should be new)`);
        const catchUpSeconds = await waitForDerivation(o.baseUrl);
        load = {
          events: figures.events,
          seconds: figures.seconds,
          eventsPerSec: figures.events / figures.seconds,
          retries: figures.retries,
          catchUpSeconds,
        };
        o.log(
          `history ${historyLabel(target)}: loaded ${fmt(load.events)} events in ${load.seconds.toFixed(1)} s (${fmt(load.eventsPerSec)} events/s` +
            `${load.retries ? `, ${load.retries} batches retried after 503` : ''}), derivation caught up ${catchUpSeconds.toFixed(1)} s later`,
        );
      }
      if (!load) o.log(`history ${historyLabel(target)}: the store already holds ${fmt(o.ledger.ackedEvents)} events, nothing to load`);
      // The first size's runs are the run's own, which the floors and the usual tables read.
      const stage: HistoryStage = { target, stored: o.ledger.ackedEvents, load, http: o.run.history?.length ? {} : o.run.http };
      try {
        stage.size = await databaseSize(o.env);
        o.log(
          `history ${historyLabel(target)}: ${fmt(stage.stored)} events in the store, ${mib(stage.size.bytes)} on disk (${stage.size.detail})` +
            (stage.stored ? `, ${fmt(stage.size.bytes / stage.stored)} bytes per event` : ''),
        );
      } catch (error) {
        // A missing size must not cost the measurements.
        stage.sizeError = error instanceof Error ? error.message : String(error);
        o.log(`history ${historyLabel(target)}: size not read: ${stage.sizeError}`);
      }
      (o.run.history ??= []).push(stage);
      return stage;
    },
  };
}
