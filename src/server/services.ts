import type { Config } from '../config/config.ts';
import { GroupCommitWriter } from '../db/group-commit-writer.ts';
import { EventQueryService } from '../modules/events/event-query-service.ts';
import { IngestService } from '../modules/events/ingest-service.ts';
import { HealthService } from '../modules/health/health-service.ts';
import { MetricsService } from '../modules/metrics/metrics-service.ts';
import { SessionService } from '../modules/sessions/session-service.ts';
import { TokenService } from '../modules/tokens/token-service.ts';
import { version } from '../lib/version.ts';
import type { Stores } from './stores.ts';

export interface Services {
  config: Config;
  stores: Stores;
  writer: GroupCommitWriter;
  ingest: IngestService;
  events: EventQueryService;
  /** Null with JSONL storage. */
  sessions: SessionService | null;
  tokens: TokenService | null;
  metrics: MetricsService;
  health: HealthService;
  /** Drains the write queue, then closes the storage. */
  close(): Promise<void>;
}

export function createServices(stores: Stores, config: Config): Services {
  const metrics = new MetricsService();
  const writer = new GroupCommitWriter(stores.events, {
    queueMaxEvents: config.writer.queueMaxEvents,
    maxEventsPerCommit: config.writer.maxEventsPerCommit,
    concurrency: config.writer.concurrency,
    spillEvents: config.writer.spillEvents,
    onCommit: (events, _requests, ms) => metrics.commit(events, ms),
  });
  metrics.watchQueue(() => writer.depth);
  const events = new EventQueryService(stores.events);
  return {
    config,
    stores,
    writer,
    ingest: new IngestService(writer, config.limits, metrics),
    events,
    sessions: stores.sessions ? new SessionService(stores.sessions, events) : null,
    tokens: stores.tokens ? new TokenService(stores.tokens) : null,
    metrics,
    health: new HealthService(stores.events, config.storage, version()),
    async close() {
      await writer.drain();
      await stores.close();
    },
  };
}
