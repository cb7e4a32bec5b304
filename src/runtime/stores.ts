import type { Config } from '../core/config.ts';
import type { ExecutionStore } from '../modules/executions/execution.ts';
import { createPostgresExecutionStore } from '../modules/executions/execution-store-postgres.ts';
import { createSqliteExecutionStore } from '../modules/executions/execution-store-sqlite.ts';
import type { PerformanceStore } from '../modules/performance/performance.ts';
import { createPostgresPerformanceStore } from '../modules/performance/performance-store-postgres.ts';
import { createSqlitePerformanceStore } from '../modules/performance/performance-store-sqlite.ts';
import { createPostgresScheduledJobStore } from '../modules/performance/scheduled-job-store-postgres.ts';
import { createSqliteScheduledJobStore } from '../modules/performance/scheduled-job-store-sqlite.ts';
import type { ScheduledJobStore } from '../modules/performance/scheduled-jobs.ts';
import {
  createAnalyticsStore,
  postgresAnalyticsRunner,
  sqliteAnalyticsRunner,
  type AnalyticsStore,
} from '../modules/analytics/analytics-store.ts';
import type { Database } from '../db/database.ts';
import { createCostStore, type CostStore } from '../modules/cost-figures/cost-store.ts';
import { createPostgresRuleFeed } from '../modules/automation/rule-feed-postgres.ts';
import { createSqliteRuleFeed } from '../modules/automation/rule-feed-sqlite.ts';
import { RuleRunner, type RuleRunning } from '../modules/automation/rule-runner.ts';
import { TeamRules } from '../modules/automation/team-rules.ts';
import type { PlanSettings } from '../modules/notifications/notification-plan.ts';
import type { NotificationStore } from '../modules/notifications/notification.ts';
import { createSqliteNotificationStore } from '../modules/notifications/notification-store-sqlite.ts';
import { createPostgresNotificationStore } from '../modules/notifications/notification-store-postgres.ts';
import type { TeamStore } from '../modules/teams/team.ts';
import { createPostgresTeamStore } from '../modules/teams/team-store-postgres.ts';
import { createSqliteTeamStore } from '../modules/teams/team-store-sqlite.ts';
import { createJsonlEventLog } from '../modules/events/event-log-jsonl.ts';
import { createPostgresEventStore } from '../modules/events/event-store-postgres.ts';
import { createSqliteEventStore } from '../modules/events/event-store-sqlite.ts';
import { withSqliteWriteThread } from './event-store-sqlite-threaded.ts';
import type { EventLog, EventStore } from '../modules/events/event-store.ts';
import type { EventTail } from '../modules/stream/event-tail.ts';
import { createPostgresEventTail } from '../modules/stream/event-tail-postgres.ts';
import { createSqliteEventTail } from '../modules/stream/event-tail-sqlite.ts';
import { startSqliteCheckpointer } from '../db/sqlite-checkpointer.ts';
import { PartitionManager } from '../modules/partitions/partition-manager.ts';
import { createPostgresSessionStore } from '../modules/sessions/session-store-postgres.ts';
import { createSqliteSessionStore } from '../modules/sessions/session-store-sqlite.ts';
import { createPostgresSessionMaintenance } from '../modules/sessions/session-maintenance-postgres.ts';
import { createSqliteSessionMaintenance } from '../modules/sessions/session-maintenance-sqlite.ts';
import type { SessionMaintenanceStore } from '../modules/sessions/session-maintenance.ts';
import { scheduleDerivation, type SessionDeriver } from '../modules/derivation/session-deriver.ts';
import { createPostgresDerivation } from '../modules/derivation/session-deriver-postgres.ts';
import type { KnownEvents } from '../modules/events/known-events.ts';
import type { DerivationBacklogReader, OtherWriters } from '../modules/derivation/derivation-backlog.ts';
import { createPostgresDerivationBacklog } from '../modules/derivation/derivation-backlog-postgres.ts';
import { createSqliteDerivationBacklog } from '../modules/derivation/derivation-backlog-sqlite.ts';
import { createSqliteDerivation } from '../modules/derivation/session-deriver-sqlite.ts';
import type { SessionStore } from '../modules/sessions/session.ts';
import { createPostgresTokenStore } from '../modules/tokens/token-store-postgres.ts';
import { createSqliteTokenStore } from '../modules/tokens/token-store-sqlite.ts';
import type { TokenStore } from '../modules/tokens/token.ts';
import type { ChannelStore } from '../modules/channels/channel.ts';
import { createChannelStore } from '../modules/channels/channel-store.ts';
import type { ConfigStore, SecretKeyCheckStore } from '../modules/config/config-entry.ts';
import { createConfigStore, createSecretKeyCheckStore } from '../modules/config/config-store.ts';
import { postgresRunner, sqliteRunner, type SqlRunner } from '../db/sql-runner.ts';
import type { TaskStore } from '../modules/tasks/task.ts';
import { createTaskStore, postgresSerialised, sqliteSerialised } from '../modules/tasks/task-store.ts';
import {
  createPostgresEventMinuteStore,
  createSqliteEventMinuteStore,
  type EventMinuteStore,
} from '../modules/stats/event-minute-store.ts';

/** The stores of a storage that can be read back; the same members on both dialects. */
interface StoresOfADatabase {
  events: EventStore;
  /** A fresh reader of new events in commit order, for the live tail. */
  openTail(): EventTail;
  tokens: TokenStore;
  sessions: SessionStore;
  /** Deletes, stale sweep and rebuild of the derived session rows. */
  sessionMaintenance: SessionMaintenanceStore;
  /** Derives sessions, tool uses and rollups from committed events. */
  deriver: SessionDeriver;
  /** How far the derivation trails the stored events, for /metrics. */
  derivationBacklog: DerivationBacklogReader;
  /** Events this process's derivation took from other writers, for /metrics. */
  otherWriters: OtherWriters;
  /** Reads of the analytics rollups and views. */
  analytics: AnalyticsStore;
  /** Reads of the counted token_usage rows: /analytics/cost and the token gauges of /metrics. */
  cost: CostStore;
  /** Events per minute of the last two days (the passes write them), and their pruning. */
  eventMinutes: EventMinuteStore;
  /** Hook executions (seed 000). */
  executions: ExecutionStore;
  /** Hourly performance rows, figures over executions and retention. */
  performance: PerformanceStore;
  /** Periodic jobs claimed across processes (scheduled_jobs). */
  jobs: ScheduledJobStore;
  /** Team configurations. */
  teams: TeamStore;
  /** Runs derived events through their team's rules: here, or on the SQLite write thread when there is one. */
  rules: RuleRunning;
  /** The config store and the key checks of the secret keys that sealed something. */
  config: ConfigStore;
  secretKeyChecks: SecretKeyCheckStore;
  /** Where notifications go. */
  channels: ChannelStore;
  /** The outbox: notifications and their delivery attempts. */
  notifications: NotificationStore;
  /** Tasks and their relationships (/tasks). */
  tasks: TaskStore;
  close(): Promise<void>;
}

export interface SqliteStores extends StoresOfADatabase {
  dialect: 'sqlite';
}

export interface PostgresStores extends StoresOfADatabase {
  dialect: 'postgres';
  /** Monthly partitions of the large tables (SQLite tables are not partitioned). */
  partitions: PartitionManager;
}

export type Stores = SqliteStores | PostgresStores;

/** JSONL storage appends events to a file and keeps nothing else. */
export interface JsonlStores {
  events: EventLog;
  close(): Promise<void>;
}

export function createJsonlStores(config: Config): JsonlStores {
  const events = createJsonlEventLog(config.jsonlPath);
  return { events, close: () => events.close() };
}

/** The one place that picks store implementations for the open storage. */
export interface StoreOptions {
  /**
   * SQLite helpers for a long-running process: a write thread (so fsync waits do not
   * stall HTTP) and a checkpoint thread (so WAL checkpoints stay off the commit path).
   * Short commands write inline and skip their start-up.
   */
  serverThreads?: boolean;
}

export function createStores(db: Database, config: Config, options: StoreOptions = {}): Stores {
  const otherWriters: OtherWriters = { events: 0 };
  const fromOtherWriters = (events: number) => {
    otherWriters.events += events;
  };
  if (db.kind === 'sqlite') {
    const known: KnownEvents = new Map();
    const reads = createSqliteEventStore(db, known);
    const tokens = createSqliteTokenStore(db);
    const sessions = createSqliteSessionStore(db);
    const analytics = createAnalyticsStore(sqliteAnalyticsRunner(db));
    // On the main connection too: an execution is one short write, waiting for the lock like maintenance.
    const executions = createSqliteExecutionStore(db);
    // The same: aggregation, retention and job claims are short transactions on the main connection.
    const performance = createSqlitePerformanceStore(db);
    const jobs = createSqliteScheduledJobStore(db);
    const teams = createSqliteTeamStore(db);
    // On the main connection, beside the write thread: these writes are rare and wait for its lock (busy_timeout).
    const sessionMaintenance = createSqliteSessionMaintenance(db);
    // A read on the main connection: WAL lets it run beside the write thread.
    const derivationBacklog = createSqliteDerivationBacklog(db);
    // Passes on this connection, unless the write thread (which holds the write lock) runs them.
    const inline = () =>
      scheduleDerivation(
        createSqliteDerivation(db.sqlite, known, fromOtherWriters),
        config.sessions.deriveDelayMs,
        config.sessions.deriveBacklogMax,
      );
    // Rules passes on this connection: they read without the lock and commit their executions in one short transaction.
    const inlineRules = (deriver: SessionDeriver) =>
      new RuleRunner(createSqliteRuleFeed(db), new TeamRules(teams), sessions, deriver, { notifications: planOf(config) });
    const shared = {
      dialect: 'sqlite' as const,
      openTail: () => createSqliteEventTail(db),
      tokens,
      sessions,
      sessionMaintenance,
      derivationBacklog,
      otherWriters,
      analytics,
      eventMinutes: createSqliteEventMinuteStore(db),
      executions,
      performance,
      jobs,
      teams,
      ...plainStores(sqliteRunner(db)),
      tasks: createTaskStore(sqliteRunner(db), sqliteSerialised(db)),
      notifications: createSqliteNotificationStore(db),
    };
    if (!options.serverThreads) {
      const deriver = inline();
      return { ...shared, events: reads, deriver, rules: inlineRules(deriver), close: () => db.close() };
    }
    db.sqlite.pragma('wal_autocheckpoint = 0');
    const checkpointer = startSqliteCheckpointer(db.path, config.sqliteSync);
    // With synchronous=NORMAL a commit does not wait for fsync, so a thread hop would only add latency.
    const thread = config.sqliteWriter === 'thread' || (config.sqliteWriter === 'auto' && config.sqliteSync === 'full');
    const threaded = thread
      ? withSqliteWriteThread(reads, db, config.sqliteSync, { ...config.sessions, plan: planOf(config) }, fromOtherWriters)
      : null;
    const deriver = threaded?.deriver ?? inline();
    return {
      ...shared,
      events: threaded ?? reads,
      deriver,
      rules: threaded?.rules ?? inlineRules(deriver),
      close: async () => {
        await threaded?.close();
        await checkpointer.stop();
        await db.close();
      },
    };
  }
  const partitions = new PartitionManager(db);
  const teams = createPostgresTeamStore(db);
  const sessions = createPostgresSessionStore(db);
  const ownCommits = new Set<string>();
  const deriver = scheduleDerivation(
    createPostgresDerivation(db, { own: ownCommits, onOtherWriters: fromOtherWriters }),
    config.sessions.deriveDelayMs,
    config.sessions.deriveBacklogMax,
  );
  return {
    dialect: 'postgres',
    openTail: () => createPostgresEventTail(db),
    events: createPostgresEventStore(db, partitions, ownCommits),
    tokens: createPostgresTokenStore(db),
    sessions,
    sessionMaintenance: createPostgresSessionMaintenance(db),
    deriver,
    derivationBacklog: createPostgresDerivationBacklog(db),
    otherWriters,
    analytics: createAnalyticsStore(postgresAnalyticsRunner(db)),
    eventMinutes: createPostgresEventMinuteStore(db),
    executions: createPostgresExecutionStore(db),
    performance: createPostgresPerformanceStore(db),
    jobs: createPostgresScheduledJobStore(db),
    teams,
    rules: new RuleRunner(createPostgresRuleFeed(db), new TeamRules(teams), sessions, deriver, { notifications: planOf(config) }),
    ...plainStores(postgresRunner(db)),
    tasks: createTaskStore(postgresRunner(db), postgresSerialised(db)),
    notifications: createPostgresNotificationStore(db),
    partitions,
    close: () => db.close(),
  };
}

/** The stores whose SQL is written once for both dialects. */
function plainStores(runner: SqlRunner) {
  return {
    config: createConfigStore(runner),
    cost: createCostStore(runner),
    secretKeyChecks: createSecretKeyCheckStore(runner),
    channels: createChannelStore(runner),
  };
}

/** What a rules pass needs to create notifications. */
const planOf = (config: Config): PlanSettings => ({
  windowMs: config.notifications.windowMs,
  publicUrl: config.notifications.publicUrl,
  staleMs: config.notifications.staleMs,
});
