import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { IngestObserver } from '../events/ingest-service.ts';
import type { DerivationBacklog, DerivationBacklogReader, OtherWriters } from '../derivation/derivation-backlog.ts';
import { LatencyWindow } from './latency-window.ts';

/**
 * Counters keep the seed's names (`hooks_*`) so existing dashboards and alerts keep
 * working; everything new is `hookd_*`.
 */
export class MetricsService implements IngestObserver {
  readonly registry = new Registry();
  private readonly startedAt = Date.now();
  private readonly latency = new LatencyWindow();
  private counts = { received: 0, stored: 0, duplicates: 0, errors: 0, rejected: 0 };
  private readonly receivedTotal: Counter;
  private readonly storedTotal: Counter;
  private readonly duplicateTotal: Counter;
  private readonly errorsTotal: Counter;
  private readonly rejectedTotal: Counter;
  private readonly ingestSeconds: Histogram;
  private readonly commitSize: Histogram;
  private readonly commitSeconds: Histogram;
  private queueDepthSource: () => number = () => 0;
  private derivationSource: DerivationBacklogReader | null = null;
  private otherWriters: OtherWriters = { events: 0 };
  private backlogRead: Promise<DerivationBacklog | null> | null = null;

  constructor() {
    const registers = [this.registry];
    this.receivedTotal = new Counter({ name: 'hooks_events_received_total', help: 'Total number of events received', registers });
    this.storedTotal = new Counter({ name: 'hooks_events_stored_total', help: 'Total number of events stored', registers });
    this.errorsTotal = new Counter({ name: 'hooks_storage_errors_total', help: 'Total number of events that failed to store', registers });
    this.rejectedTotal = new Counter({
      name: 'hooks_events_rejected_total',
      help: 'Events turned away before the storage was asked (overloaded, shutting_down, session_not_found): not storage errors',
      labelNames: ['reason'],
      registers,
    });
    this.duplicateTotal = new Counter({
      name: 'hookd_events_duplicate_total',
      help: 'Events acknowledged that were already stored',
      registers,
    });
    const self = this;
    new Gauge({
      name: 'hooks_uptime_seconds',
      help: 'Seconds since the process started',
      registers,
      collect() {
        this.set(self.uptimeSeconds());
      },
    });
    this.ingestSeconds = new Histogram({
      name: 'hookd_ingest_request_duration_seconds',
      help: 'Time from request to acknowledgement of an ingest request',
      labelNames: ['route'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.commitSize = new Histogram({
      name: 'hookd_commit_events',
      help: 'Events per group-commit transaction',
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000],
      registers,
    });
    this.commitSeconds = new Histogram({
      name: 'hookd_commit_duration_seconds',
      help: 'Duration of one group-commit transaction',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    new Gauge({
      name: 'hookd_write_queue_events',
      help: 'Events waiting for a commit',
      registers,
      collect() {
        this.set(self.queueDepthSource());
      },
    });
    // Both read the backlog at scrape time; prom-client awaits each collect.
    new Gauge({
      name: 'hookd_derivation_backlog_events',
      help: 'Events stored and not yet derived into sessions, tool calls and rollups',
      registers,
      async collect() {
        const backlog = await self.derivationBacklog();
        if (backlog) this.set(backlog.events);
      },
    });
    new Gauge({
      name: 'hookd_derivation_lag_seconds',
      help: 'Age of the oldest event not yet derived (0 when the derivation has caught up)',
      registers,
      async collect() {
        const backlog = await self.derivationBacklog();
        if (backlog) this.set(lagSeconds(backlog));
      },
    });
    new Gauge({
      name: 'hookd_events_stored',
      help: 'Events stored by every writer sharing the database (the highest event id: a few ids are spent without an event)',
      registers,
      async collect() {
        const backlog = await self.derivationBacklog();
        if (backlog) this.set(backlog.storedEvents);
      },
    });
    let counted = 0;
    new Counter({
      name: 'hookd_events_derived_from_other_writers_total',
      help: "Events this process's derivation took that another writer stored (hookd emit into the file, another process)",
      registers,
      collect() {
        const delta = self.otherWriters.events - counted;
        if (delta > 0) this.inc(delta);
        counted += delta;
      },
    });
    collectDefaultMetrics({ register: this.registry });
    // Gauges named like counters, which `promtool check metrics` refuses; the same counts
    // stay as nodejs_active_handles, _requests and _resources, by type.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
      this.registry.removeSingleMetric(name);
    }
  }

  /** The derivation's backlog, and what it took from other writers, for storages that derive (not JSONL). */
  watchDerivation(source: DerivationBacklogReader, otherWriters: OtherWriters): void {
    this.derivationSource = source;
    this.otherWriters = otherWriters;
  }

  /**
   * Null too when the database cannot be read: /metrics must keep answering while it is down.
   * A scrape collects both gauges at once; they share one read instead of querying twice.
   */
  private derivationBacklog(): Promise<DerivationBacklog | null> {
    this.backlogRead ??= this.readDerivationBacklog().finally(() => {
      this.backlogRead = null;
    });
    return this.backlogRead;
  }

  private async readDerivationBacklog(): Promise<DerivationBacklog | null> {
    try {
      return this.derivationSource ? await this.derivationSource() : null;
    } catch {
      return null;
    }
  }

  watchQueue(source: () => number): void {
    this.queueDepthSource = source;
  }

  received(count: number): void {
    this.counts.received += count;
    this.receivedTotal.inc(count);
  }

  stored(count: number, duplicates: number): void {
    this.counts.stored += count;
    this.counts.duplicates += duplicates;
    this.storedTotal.inc(count);
    if (duplicates) this.duplicateTotal.inc(duplicates);
  }

  failed(count: number): void {
    this.counts.errors += count;
    this.errorsTotal.inc(count);
  }

  rejected(count: number, reason: string): void {
    this.counts.rejected += count;
    this.rejectedTotal.inc({ reason }, count);
  }

  ingestLatency(route: string, ms: number): void {
    this.latency.add(ms);
    this.ingestSeconds.observe({ route }, ms / 1000);
  }

  commit(events: number, durationMs: number): void {
    this.commitSize.observe(events);
    this.commitSeconds.observe(durationMs / 1000);
  }

  uptimeSeconds(): number {
    return Math.round((Date.now() - this.startedAt) / 100) / 10;
  }

  /** The seed's JSON /metrics, plus latency percentiles, queue depth and the derivation's backlog. */
  async summary() {
    const derivation = await this.derivationBacklog();
    return {
      events_received_total: this.counts.received,
      events_stored_total: this.counts.stored,
      storage_errors_total: this.counts.errors,
      events_rejected_total: this.counts.rejected,
      events_duplicate_total: this.counts.duplicates,
      uptime_seconds: this.uptimeSeconds(),
      queue_depth: this.queueDepthSource(),
      ingest_latency_ms: this.latency.percentiles(),
      derivation: derivation && {
        backlog_events: derivation.events,
        lag_seconds: lagSeconds(derivation),
        stored_events: derivation.storedEvents,
        from_other_writers: this.otherWriters.events,
      },
    };
  }

  prometheus(): Promise<string> {
    return this.registry.metrics();
  }
}

function lagSeconds(backlog: DerivationBacklog): number {
  // A clock stepped back must not give a negative age.
  return backlog.oldestStoredAt === null ? 0 : Math.max(0, Date.now() - backlog.oldestStoredAt) / 1000;
}
