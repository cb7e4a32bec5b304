import type { Config } from '../core/config.ts';
import { GroupCommitWriter } from '../modules/events/group-commit-writer.ts';
import { AnalyticsService } from '../modules/analytics/analytics-service.ts';
import { ExecutionService } from '../modules/executions/execution-service.ts';
import { EventQueryService } from '../modules/events/event-query-service.ts';
import { EventStreamHub } from '../modules/events/event-stream-hub.ts';
import { IngestService } from '../modules/events/ingest-service.ts';
import { HealthService } from '../modules/health/health-service.ts';
import { MetricsService } from '../modules/metrics/metrics-service.ts';
import { PerformanceService } from '../modules/performance/performance-service.ts';
import { SessionMaintenanceService } from '../modules/sessions/session-maintenance-service.ts';
import { SessionOperationService } from '../modules/sessions/session-operation-service.ts';
import { SessionService } from '../modules/sessions/session-service.ts';
import type { RuleRunning } from '../modules/automation/rule-runner.ts';
import { RuleTestService } from '../modules/automation/rule-test-service.ts';
import { TeamRules } from '../modules/automation/team-rules.ts';
import { TeamService } from '../modules/teams/team-service.ts';
import { TokenService } from '../modules/tokens/token-service.ts';
import { version } from '../core/version.ts';
import { SILENT_LOG, type ServiceLog } from '../core/audit-log.ts';
import type { Stores } from './stores.ts';

export interface Services {
  config: Config;
  stores: Stores;
  writer: GroupCommitWriter;
  ingest: IngestService;
  events: EventQueryService;
  /** The live tail's shared poller; null where events cannot be read back (JSONL). */
  stream: EventStreamHub | null;
  /** Null with JSONL storage. */
  sessions: SessionService | null;
  /** Explicit session writes (create, upsert, activity, idle, end, delete); null with JSONL storage. */
  sessionOps: SessionOperationService | null;
  /** Stale sweep and rebuild of the derived session rows; null with JSONL storage. */
  sessionMaintenance: SessionMaintenanceService | null;
  /** Analytics over the rollups and per-session counters; null with JSONL storage. */
  analytics: AnalyticsService | null;
  /** Hook executions; null with JSONL storage. */
  executions: ExecutionService | null;
  /** Hourly performance rows, summaries, statistics and retention of executions; null with JSONL storage. */
  performance: PerformanceService | null;
  /** Team configurations; null with JSONL storage. */
  teams: TeamService | null;
  /** Runs stored events through their team's rules (started in the background by the runtime); null with JSONL storage. */
  rules: RuleRunning | null;
  /** Dry runs of team rules; null with JSONL storage. */
  ruleTest: RuleTestService | null;
  tokens: TokenService | null;
  metrics: MetricsService;
  health: HealthService;
  /** Warnings and `audit` lines of the services and routes. */
  log: ServiceLog;
  /** Drains the write queue, then closes the storage. */
  close(): Promise<void>;
}

const RULES_SETTLE_MS = 5000;

export function createServices(stores: Stores, config: Config, log: ServiceLog = SILENT_LOG): Services {
  const metrics = new MetricsService();
  const openTail = stores.events.openTail?.bind(stores.events);
  const stream = openTail ? new EventStreamHub(openTail, config.stream) : null;
  const writer = new GroupCommitWriter(stores.events, {
    queueMaxEvents: config.writer.queueMaxEvents,
    maxEventsPerCommit: config.writer.maxEventsPerCommit,
    concurrency: config.writer.concurrency,
    spillEvents: config.writer.spillEvents,
    onCommit: (events, _requests, ms) => {
      metrics.commit(events, ms);
      // Our own commits reach open streams at once; other processes' by polling.
      stream?.notify();
      stores.deriver?.kick();
    },
  });
  metrics.watchQueue(() => writer.depth);
  if (stores.derivationBacklog) metrics.watchDerivation(stores.derivationBacklog, stores.otherWriters);
  const events = new EventQueryService(stores.events);
  const ingest = new IngestService(writer, config.limits, metrics);
  const maintenance = stores.sessionMaintenance;
  const deriver = stores.deriver;
  const teams = stores.teams ? new TeamService(stores.teams) : null;
  const teamRules = stores.teams ? new TeamRules(stores.teams) : null;
  const rules = stores.rules;
  // Reads of executions and their figures wait for the rules, as reads of sessions wait for
  // the derivation: a client that stored an event sees the executions its team's rules
  // recorded for it. At most RULES_SETTLE_MS: after a large import the rest comes later.
  const settle = rules ? () => rules.catchUp(RULES_SETTLE_MS) : undefined;
  const perf = stores.performance ? new PerformanceService(stores.performance, Date.now, settle) : null;
  return {
    config,
    stores,
    writer,
    ingest,
    events,
    stream,
    sessions: stores.sessions && deriver ? new SessionService(stores.sessions, events, deriver) : null,
    sessionOps:
      stores.sessions && maintenance && deriver ? new SessionOperationService(ingest, stores.sessions, maintenance, deriver) : null,
    sessionMaintenance: maintenance && deriver ? new SessionMaintenanceService(maintenance, config.sessions, deriver) : null,
    analytics: stores.analytics && deriver ? new AnalyticsService(stores.analytics, deriver) : null,
    executions: stores.executions ? new ExecutionService(stores.executions, Date.now, settle) : null,
    performance: perf,
    teams,
    rules,
    ruleTest: teams && teamRules && stores.sessions ? new RuleTestService(teams, teamRules, stores.sessions, config.limits) : null,
    tokens: stores.tokens ? new TokenService(stores.tokens, log) : null,
    metrics,
    log,
    health: new HealthService(stores.events, config.storage, version(), perf ? () => perf.recentExecutions() : null),
    async close() {
      await stream?.close();
      await writer.drain();
      if (stores.deriver) {
        // What was acknowledged is derived before the storage closes; after a crash the
        // next start derives it instead.
        await stores.deriver.catchUp().catch(() => {});
        await stores.deriver.close();
      }
      await stores.close();
    },
  };
}
