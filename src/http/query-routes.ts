import type { SecretKey } from '../core/secret-key.ts';
import type { FastifyInstance } from 'fastify';
import type { AnalyticsService } from '../modules/analytics/analytics-service.ts';
import { analyticsRoutes } from '../modules/analytics/analytics-routes.ts';
import { ruleRoutes } from '../modules/automation/rule-routes.ts';
import { costRoutes } from '../modules/cost-figures/cost-routes.ts';
import type { CostService } from '../modules/cost-figures/cost-service.ts';
import type { RulePreviewService } from '../modules/automation/rule-preview-service.ts';
import type { RuleTestService } from '../modules/automation/rule-test-service.ts';
import type { EventQueryService } from '../modules/events/event-query-service.ts';
import { eventRoutes } from '../modules/events/event-routes.ts';
import type { EventStreamHub } from '../modules/stream/event-stream-hub.ts';
import { eventStreamRoutes } from '../modules/stream/event-stream-routes.ts';
import { executionRoutes } from '../modules/executions/execution-routes.ts';
import type { ExecutionService } from '../modules/executions/execution-service.ts';
import { performanceRoutes } from '../modules/performance/performance-routes.ts';
import type { PerformanceService } from '../modules/performance/performance-service.ts';
import type { SessionOperationService } from '../modules/sessions/session-operation-service.ts';
import { sessionRoutes } from '../modules/sessions/session-routes.ts';
import type { SessionService } from '../modules/sessions/session-service.ts';
import { sessionWriteRoutes } from '../modules/sessions/session-write-routes.ts';
import type { SettingsService } from '../modules/settings/server-settings.ts';
import { settingsRoutes } from '../modules/settings/settings-routes.ts';
import { statsRoutes } from '../modules/stats/stats-routes.ts';
import type { StatsService } from '../modules/stats/stats-service.ts';
import { teamRoutes } from '../modules/teams/team-routes.ts';
import type { TeamService } from '../modules/teams/team-service.ts';
import { channelRoutes } from '../modules/channels/channel-routes.ts';
import { taskRoutes } from '../modules/tasks/task-routes.ts';
import type { TaskService } from '../modules/tasks/task-service.ts';
import type { ChannelService } from '../modules/channels/channel-service.ts';
import { configRoutes } from '../modules/config/config-routes.ts';
import type { ConfigService } from '../modules/config/config-service.ts';
import { notificationRoutes } from '../modules/notifications/notification-routes.ts';
import type { NotificationService } from '../modules/notifications/notification-service.ts';
import { tokenRoutes } from '../modules/tokens/token-routes.ts';
import type { TokenService } from '../modules/tokens/token-service.ts';

/** What the routes over stored data use: a storage that can be read back (SQLite, PostgreSQL). */
export interface QueryServices {
  events: EventQueryService;
  stream: EventStreamHub;
  sessions: SessionService;
  sessionOps: SessionOperationService;
  analytics: AnalyticsService;
  /** Tokens and cost of the model requests (GET /analytics/cost). */
  cost: CostService;
  executions: ExecutionService;
  performance: PerformanceService;
  teams: TeamService;
  ruleTest: RuleTestService;
  rulePreview: RulePreviewService;
  tokens: TokenService;
  /** A dashboard's live figures: events per minute, sessions by status. */
  stats: StatsService;
  settings: SettingsService;
  /** Signs dashboard session cookies; null on PostgreSQL without HOOKD_SECRET_KEY. */
  secretKey: () => SecretKey | null;
  configEntries: ConfigService;
  channels: ChannelService;
  tasks: TaskService;
  notifications: NotificationService;
}

/** Every route that reads or manages what was stored, each given the services it uses. */
export function queryRoutes(app: FastifyInstance, services: QueryServices, streamBufferBytes: number): void {
  eventRoutes(app, services.events);
  eventStreamRoutes(app, { stream: services.stream, events: services.events, bufferBytes: streamBufferBytes });
  sessionRoutes(app, services.sessions);
  sessionWriteRoutes(app, services.sessionOps);
  analyticsRoutes(app, services.analytics);
  costRoutes(app, services.cost);
  executionRoutes(app, services.executions);
  performanceRoutes(app, services.performance);
  teamRoutes(app, services.teams);
  ruleRoutes(app, services.ruleTest, services.rulePreview);
  tokenRoutes(app, services.tokens);
  statsRoutes(app, services.stats);
  settingsRoutes(app, services.settings);
  configRoutes(app, services.configEntries);
  channelRoutes(app, services.channels);
  notificationRoutes(app, services.notifications);
  taskRoutes(app, services.tasks);
}
