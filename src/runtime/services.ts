import { ChannelService, channelSealedHolder } from '../modules/channels/channel-service.ts';
import { TaskService } from '../modules/tasks/task-service.ts';
import { ConfigService, configSealedHolder } from '../modules/config/config-service.ts';
import { Sealer } from '../modules/config/sealer.ts';
import { SecretRotationService } from '../modules/config/secret-rotation.ts';
import { notificationMetrics } from '../modules/metrics/notification-metrics.ts';
import { usageMetrics } from '../modules/metrics/usage-metrics.ts';
import { CostService } from '../modules/cost-figures/cost-service.ts';
import { NotificationService } from '../modules/notifications/notification-service.ts';
import { NotificationWorker } from '../modules/notifications/notification-worker.ts';
import { secretKeyLoader, type SecretKey } from '../core/secret-key.ts';
import type { Config } from '../core/config.ts';
import { GroupCommitWriter } from '../modules/events/group-commit-writer.ts';
import { AnalyticsService } from '../modules/analytics/analytics-service.ts';
import { ExecutionService } from '../modules/executions/execution-service.ts';
import { EventQueryService } from '../modules/events/event-query-service.ts';
import type { EventLog } from '../modules/events/event-store.ts';
import { EventStreamHub } from '../modules/stream/event-stream-hub.ts';
import { IngestService } from '../modules/events/ingest-service.ts';
import { HealthService } from '../modules/health/health-service.ts';
import { MetricsService } from '../modules/metrics/metrics-service.ts';
import { PerformanceService } from '../modules/performance/performance-service.ts';
import { SessionMaintenanceService } from '../modules/sessions/session-maintenance-service.ts';
import { SessionOperationService } from '../modules/sessions/session-operation-service.ts';
import { SessionService } from '../modules/sessions/session-service.ts';
import type { RuleRunning } from '../modules/automation/rule-runner.ts';
import { RulePreviewService } from '../modules/automation/rule-preview-service.ts';
import { RuleTestService } from '../modules/automation/rule-test-service.ts';
import { batchPolicies, TeamRules } from '../modules/automation/team-rules.ts';
import { TeamService } from '../modules/teams/team-service.ts';
import { TokenService } from '../modules/tokens/token-service.ts';
import { StatsService } from '../modules/stats/stats-service.ts';
import { SettingsService } from '../modules/settings/server-settings.ts';
import { version } from '../core/version.ts';
import { SILENT_LOG, type ServiceLog } from '../core/audit-log.ts';
import type { JsonlStores, Stores } from './stores.ts';

/** What every storage serves: ingest, health and metrics. */
interface IngestPath {
  config: Config;
  writer: GroupCommitWriter;
  ingest: IngestService;
  metrics: MetricsService;
  health: HealthService;
  /** Warnings and `audit` lines of the services and routes. */
  log: ServiceLog;
  /** Drains the write queue, then closes the storage. */
  close(): Promise<void>;
}

/** SQLite and PostgreSQL: everything, none of it optional. */
export interface Services extends IngestPath {
  storage: 'sqlite' | 'postgres';
  stores: Stores;
  events: EventQueryService;
  /** The live tail's shared poller. */
  stream: EventStreamHub;
  sessions: SessionService;
  /** Explicit session writes (create, upsert, activity, idle, end, delete). */
  sessionOps: SessionOperationService;
  /** Stale sweep and rebuild of the derived session rows. */
  sessionMaintenance: SessionMaintenanceService;
  /** Analytics over the rollups and per-session counters. */
  analytics: AnalyticsService;
  /** Tokens and cost of the model requests, from the counted token_usage rows. */
  cost: CostService;
  executions: ExecutionService;
  /** Hourly performance rows, summaries, statistics and retention of executions. */
  performance: PerformanceService;
  teams: TeamService;
  /** Runs stored events through their team's rules (started in the background by the runtime). */
  rules: RuleRunning;
  /** Dry runs of team rules. */
  ruleTest: RuleTestService;
  /** A rule's message template rendered against an event (POST /rules/preview). */
  rulePreview: RulePreviewService;
  tokens: TokenService;
  /** A dashboard's live figures: events per minute, sessions by status; and the pruning of old minutes. */
  stats: StatsService;
  /** GET /settings: the settings in force, never a secret. */
  settings: SettingsService;
  /** hookd's secret key, loaded on first use (see core/secret-key.ts); null on PostgreSQL without HOOKD_SECRET_KEY. */
  secretKey: () => SecretKey | null;
  /** Seals the secrets the stores keep; check() refuses a key other than the one that sealed them. */
  sealer: Sealer;
  /** The config store (/config, `hookd config`). */
  configEntries: ConfigService;
  /** Re-seals every stored secret under the current key (`hookd secrets rotate`, `hookd secrets status`). */
  secretRotation: SecretRotationService;
  /** Where notifications go (/channels, `hookd channels`). */
  channels: ChannelService;
  /** Tasks and their relationships (/tasks). */
  tasks: TaskService;
  /** The outbox's reads, retries and replays (/notifications, `hookd notifications`). */
  notifications: NotificationService;
  /** Delivers the outbox; `hookd serve` runs its loop (background-tasks.ts). */
  notificationWorker: NotificationWorker;
}

/** JSONL storage: an append-only file, so ingest, health and metrics only. */
export interface JsonlServices extends IngestPath {
  storage: 'jsonl';
  stores: JsonlStores;
}

const RULES_SETTLE_MS = 5000;

export function createServices(stores: Stores, config: Config, log: ServiceLog = SILENT_LOG): Services {
  const stream = new EventStreamHub(stores.openTail, config.stream);
  const path = ingestPath(stores.events, config, log, {
    admit: () => stores.deriver.room(),
    onCommit(events) {
      // Our own commits reach open streams at once; other processes' by polling.
      stream.notify();
      stores.deriver.kick(events);
    },
  });
  path.metrics.watchDerivation(stores.derivationBacklog, stores.otherWriters);
  usageMetrics(path.metrics.registry, () => stores.cost.byModel());
  const events = new EventQueryService(stores.events);
  const { deriver, rules } = stores;
  // A saved configuration names channels: those not visible to the team are listed as warnings.
  const teams = new TeamService(stores.teams, async (teamId) => new Set((await stores.channels.list({ teamId })).map((c) => c.channelId)));
  // Reads of executions and their figures wait for the rules, as reads of sessions wait for
  // the derivation: a client that stored an event sees the executions its team's rules
  // recorded for it. At most RULES_SETTLE_MS: after a large import the rest comes later.
  const settle = () => rules.catchUp(RULES_SETTLE_MS);
  const performance = new PerformanceService(stores.performance, Date.now, settle);
  const secretKey = secretKeyLoader({ storage: config.storage, home: config.home, secretKey: config.secretKey });
  const sealer = new Sealer(secretKey, stores.secretKeyChecks);
  const channels = new ChannelService(stores.channels, sealer, config.notifications, log);
  const notifications = new NotificationService(stores.notifications, config.notifications.windowMs, log);
  const notificationWorker = new NotificationWorker(stores.notifications, (channel) => channels.open(channel), {
    ...config.notifications,
    policies: batchPolicies(new TeamRules(stores.teams)),
    log,
    observer: notificationMetrics(path.metrics.registry, () => stores.notifications.figures(Date.now())),
  });
  // What this process fires or requeues is sent at once; the poll is for other processes' work.
  rules.onNotifications(() => notificationWorker.wake());
  notifications.onRequeue(() => notificationWorker.wake());
  return {
    ...path,
    storage: stores.dialect,
    stores,
    events,
    stream,
    sessions: new SessionService(stores.sessions, events, deriver),
    sessionOps: new SessionOperationService(path.ingest, stores.sessions, stores.sessionMaintenance, deriver),
    sessionMaintenance: new SessionMaintenanceService(stores.sessionMaintenance, config.sessions, deriver),
    analytics: new AnalyticsService(stores.analytics, deriver),
    cost: new CostService(stores.cost, deriver),
    executions: new ExecutionService(stores.executions, Date.now, settle),
    performance,
    teams,
    rules,
    ruleTest: new RuleTestService(teams, new TeamRules(stores.teams), stores.sessions, config.limits),
    rulePreview: new RulePreviewService(events, stores.sessions, config.limits, config.notifications.publicUrl),
    tokens: new TokenService(stores.tokens, log),
    stats: new StatsService(stores.eventMinutes, stores.sessions, deriver),
    settings: new SettingsService(config, stores.dialect, version(), secretKey),
    secretKey,
    sealer,
    configEntries: new ConfigService(stores.config, sealer, log),
    secretRotation: new SecretRotationService(sealer, [configSealedHolder(stores.config), channelSealedHolder(stores.channels)], log),
    channels,
    tasks: new TaskService(stores.tasks, log),
    notifications,
    notificationWorker,
    health: new HealthService(stores.events, config.storage, version(), () => performance.recentExecutions()),
    async close() {
      await stream.close();
      await path.writer.drain();
      // What was acknowledged is derived before the storage closes; after a crash the
      // next start derives it instead.
      await deriver.catchUp().catch(() => {});
      await deriver.close();
      await stores.close();
    },
  };
}

export function createJsonlServices(stores: JsonlStores, config: Config, log: ServiceLog = SILENT_LOG): JsonlServices {
  const path = ingestPath(stores.events, config, log, {});
  return {
    ...path,
    storage: 'jsonl',
    stores,
    health: new HealthService(stores.events, config.storage, version()),
    async close() {
      await path.writer.drain();
      await stores.close();
    },
  };
}

/** The write path every storage shares; health, which differs per storage, is added by the caller. */
interface CommitHooks {
  admit?(): Promise<void>;
  onCommit?(events: number): void;
}

function ingestPath(events: EventLog, config: Config, log: ServiceLog, hooks: CommitHooks): Omit<IngestPath, 'close' | 'health'> {
  const metrics = new MetricsService();
  const writer = new GroupCommitWriter(events, {
    queueMaxEvents: config.writer.queueMaxEvents,
    maxEventsPerCommit: config.writer.maxEventsPerCommit,
    concurrency: config.writer.concurrency,
    spillEvents: config.writer.spillEvents,
    ...(hooks.admit ? { admit: hooks.admit } : {}),
    onCommit: (committed, _requests, ms) => {
      metrics.commit(committed, ms);
      hooks.onCommit?.(committed);
    },
  });
  metrics.watchQueue(() => writer.depth);
  return {
    config,
    writer,
    ingest: new IngestService(writer, config.limits, metrics),
    metrics,
    log,
  };
}
