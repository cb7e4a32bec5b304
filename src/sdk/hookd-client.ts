// A small typed client of hookd's HTTP API: one method per route.
// It needs only fetch, URL and URLSearchParams, so it runs on Node, Deno, Bun and in
// browsers; the reply types come from the route schemas, so they cannot drift from them.
import type { Static } from 'typebox';
import type {
  AgentUsageList,
  AnalyticsQuerySchema,
  QualityOut,
  RecentWorkflowsOut,
  SessionScoreOut,
  SessionStatsOut,
  SessionSummaryList,
  SessionSummaryOut,
  SessionSummaryQuery,
  ToolPerformanceOut,
  ToolRateList,
  WorkflowDistributionOut,
} from '../modules/analytics/analytics-schemas.ts';
import type {
  ExecutionCreateIn,
  ExecutionList,
  ExecutionListQuery,
  ExecutionOut,
  ExecutionUpdateIn,
} from '../modules/executions/execution-schemas.ts';
import type {
  AggregateIn,
  AggregateOut,
  CleanupOut,
  MetricsList,
  MetricsQuery,
  MetricsRowOut,
  StatisticsOut,
  StatisticsQuery,
  SummaryOut,
  SummaryQuery,
} from '../modules/performance/performance-schemas.ts';
import type { RulePreviewInput, RulePreviewResult } from '../modules/automation/rule-preview-service.ts';
import type { RuleTemplate } from '../modules/rules/rule.ts';
import type { RuleTestInput, RuleTestResult } from '../modules/automation/rule-test-service.ts';
import type { ChannelCreateIn, ChannelList, ChannelOut, ChannelTestOut, ChannelUpdateIn } from '../modules/channels/channel-schemas.ts';
import type {
  NotificationDetail as NotificationDetailOut,
  NotificationList,
  NotificationListQuery,
  NotificationOut,
  NotificationReplayIn,
  NotificationReplayOut,
} from '../modules/notifications/notification-schemas.ts';
import type { ConfigList, ConfigOut } from '../modules/config/config-schemas.ts';
import type { TeamConfiguration } from '../modules/teams/team-configuration.ts';
import type { TeamList, TeamOut } from '../modules/teams/team-schemas.ts';
import { HookdApiError } from './hookd-api-error.ts';
import { trackExecution, type TrackContext, type TrackOptions } from './track-execution.ts';

export { HookdApiError } from './hookd-api-error.ts';
export { ExecutionTimeoutError, type TrackContext, type TrackOptions } from './track-execution.ts';

/** Filters of every analytics list: `from`/`to` (ISO-8601 or epoch ms) or `since` (`90m`, `24h`, `7d`, `4w`), `source`, `project`, `team`. */
export type AnalyticsQuery = Static<typeof AnalyticsQuerySchema>;
/** The filters plus `pattern` (a workflow pattern), `limit` (1-1000, default 50) and `cursor` (a `next_cursor`). */
export type SessionQuery = Static<typeof SessionSummaryQuery>;
export type SessionSummary = Static<typeof SessionSummaryOut>;
export type SessionSummaryPage = Static<typeof SessionSummaryList>;
export type SessionStats = Static<typeof SessionStatsOut>;
export type SessionScore = Static<typeof SessionScoreOut>;
export type ToolSuccessRates = Static<typeof ToolRateList>;
export type ToolPerformance = Static<typeof ToolPerformanceOut>;
export type WorkflowDistribution = Static<typeof WorkflowDistributionOut>;
export type RecentWorkflowPatterns = Static<typeof RecentWorkflowsOut>;
export type AgentUsagePatterns = Static<typeof AgentUsageList>;
export type QualityMetrics = Static<typeof QualityOut>;
export type Execution = Static<typeof ExecutionOut>;
export type ExecutionCreate = Static<typeof ExecutionCreateIn>;
export type ExecutionUpdate = Static<typeof ExecutionUpdateIn>;
export type ExecutionQuery = Static<typeof ExecutionListQuery>;
export type ExecutionPage = Static<typeof ExecutionList>;
/** `team_id` (a team-bound token sees only its own) and `hours` (1-8760, default 24). */
export type ExecutionStatisticsQuery = Static<typeof StatisticsQuery>;
export type ExecutionStatistics = Static<typeof StatisticsOut>;
/** `hook_id`, and `from`/`to` (ISO-8601 or epoch ms; default the last 24 hours). */
export type PerformanceSummaryQuery = Static<typeof SummaryQuery>;
export type PerformanceSummary = Static<typeof SummaryOut>;
/** `hook_id`, `hook_type`, `team_id`, `from`/`to` (hours), `limit` (1-1000, default 100), `cursor`. */
export type PerformanceMetricsQuery = Static<typeof MetricsQuery>;
export type PerformanceMetricsRow = Static<typeof MetricsRowOut>;
export type PerformanceMetricsPage = Static<typeof MetricsList>;
/** `from`/`to` (ISO-8601 or epoch ms); default the last 24 hours. */
export type AggregateRange = Static<typeof AggregateIn>;
export type AggregateResult = Static<typeof AggregateOut>;
export type CleanupResult = Static<typeof CleanupOut>;
export type { TeamConfiguration } from '../modules/teams/team-configuration.ts';
export type { Rule, ConditionGroup, Condition, Operator, RuleTemplate } from '../modules/rules/rule.ts';
export type TeamConfigurationView = Omit<Static<typeof TeamOut>, 'configuration'> & { configuration: TeamConfiguration };
export type TeamSummaries = Static<typeof TeamList>;
export type RuleTestRequest = Omit<RuleTestInput, 'configuration'> & { configuration?: TeamConfiguration };
export type { RuleTestResult, RuleVerdict } from '../modules/automation/rule-test-service.ts';
export type RulePreviewRequest = Omit<RulePreviewInput, 'template'> & { template: RuleTemplate };
export type { RulePreviewResult } from '../modules/automation/rule-preview-service.ts';
export type Channel = Static<typeof ChannelOut>;
export type Channels = Static<typeof ChannelList>;
/** `channel_id`, `kind` (`webhook`, `slack`, `discord`, `email`, `ntfy`), `url`, and `secret` (a webhook's `whsec_...`, an email password, an ntfy token), `name`, `team_id`. */
export type ChannelCreate = Static<typeof ChannelCreateIn>;
/** Any of `url`, `secret`, `name` (null removes it). */
export type ChannelUpdate = Static<typeof ChannelUpdateIn>;
export type ChannelTestResult = Static<typeof ChannelTestOut>;
export type Notification = Static<typeof NotificationOut>;
/** `status`, `session_id`, `team_id`, `channel`, `limit` (1-500, default 50) and `cursor` (a `next_cursor`). */
export type NotificationQuery = Static<typeof NotificationListQuery>;
export type NotificationPage = Static<typeof NotificationList>;
/** A notification with what it said (`message`) and every attempt. */
export type NotificationDetail = Static<typeof NotificationDetailOut>;
/** Which to send again: `status` (`dead`, the default, or `failed`), `channel`, `session_id`, `team_id`. */
export type NotificationReplayFilters = Static<typeof NotificationReplayIn>;
export type NotificationReplayResult = Static<typeof NotificationReplayOut>;
/** A config entry; a secret's `value` redacted. */
export type ConfigEntry = Static<typeof ConfigOut>;
export type ConfigEntries = Static<typeof ConfigList>;
export interface ConfigSetOptions {
  /** Seal the value at rest; it is then only ever shown redacted. */
  secret?: boolean;
}

export interface TeamSaveOptions {
  /** Save only if the stored revision is still this one (0: only if none is saved); else 409 `revision_conflict`. */
  revision?: number;
  enabled?: boolean;
}

export interface HookdClientOptions {
  /** Where hookd listens, e.g. `http://127.0.0.1:4318`; a path prefix (`https://host/hookd/`) is kept. */
  baseUrl: string | URL;
  /** An API token with the `read` scope, sent as `Authorization: Bearer`. Needed once any token exists. */
  token?: string;
  /** Replaces the global fetch (a proxy agent, a test double). */
  fetch?: typeof globalThis.fetch;
}

type QueryValues = Record<string, string | number | undefined>;

/**
 * A client of hookd's HTTP API. Every method is one request; a reply other than 2xx
 * throws {@link HookdApiError}. Nothing is retried.
 */
export class HookdClient {
  private readonly base: URL;
  private readonly token: string | undefined;
  private readonly fetchImpl: typeof globalThis.fetch;

  constructor(options: HookdClientOptions) {
    const base = new URL(options.baseUrl);
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    this.base = base;
    this.token = options.token;
    // Looked up per call, so a fetch replaced after construction is the one used.
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** Session intelligence summary (GET /analytics/sessions): one page, newest start first. */
  sessionIntelligence(query: SessionQuery = {}): Promise<SessionSummaryPage> {
    return this.get('analytics/sessions', query);
  }

  /**
   * Every session the query matches (GET /analytics/sessions), page by page, following
   * `next_cursor` until it is null. `query.limit` sets the page size; `query.cursor` where to start.
   */
  async *sessionIntelligencePages(query: SessionQuery = {}): AsyncGenerator<SessionSummaryPage, void, undefined> {
    let cursor = query.cursor;
    do {
      const page = await this.sessionIntelligence({ ...query, cursor });
      yield page;
      cursor = page.next_cursor ?? undefined;
    } while (cursor !== undefined);
  }

  /** Every session the query matches, one at a time, across as many pages as it takes. */
  async *allSessions(query: SessionQuery = {}): AsyncGenerator<SessionSummary, void, undefined> {
    for await (const page of this.sessionIntelligencePages(query)) yield* page.items;
  }

  /** Per tool: uses, outcomes, success rate, mean and approximate p50/p95 durations, most common error (GET /analytics/tools). */
  toolSuccessRates(query: AnalyticsQuery = {}): Promise<ToolSuccessRates> {
    return this.get('analytics/tools', query);
  }

  /** Sessions per workflow pattern and their share (GET /analytics/workflows). */
  workflowPatternDistribution(query: AnalyticsQuery = {}): Promise<WorkflowDistribution> {
    return this.get('analytics/workflows', query);
  }

  /** Per subagent type: invocations, sessions, outcomes and durations (GET /analytics/agents). */
  agentUsagePatterns(query: AnalyticsQuery = {}): Promise<AgentUsagePatterns> {
    return this.get('analytics/agents', query);
  }

  /** p50/p90/p95/p99 of session success scores per source and of tool durations per tool (GET /analytics/quality). */
  qualityMetrics(query: AnalyticsQuery = {}): Promise<QualityMetrics> {
    return this.get('analytics/quality', query);
  }

  /**
   * One session's summary plus its calls per tool (GET /analytics/sessions/{id}).
   * @throws {@link HookdApiError} 404 `session_not_found` for a session unknown or not visible to the token.
   */
  getSessionStats(sessionId: string): Promise<SessionStats> {
    return this.get(`analytics/sessions/${encodeURIComponent(sessionId)}`);
  }

  /**
   * One tool over a period (default the last 7 days): totals, day by day, and the change
   * against the period before (GET /analytics/tools/{name}).
   * @throws {@link HookdApiError} 404 `tool_not_found` for a tool with no completed call ever.
   */
  getToolPerformance(toolName: string, query: AnalyticsQuery = {}): Promise<ToolPerformance> {
    return this.get(`analytics/tools/${encodeURIComponent(toolName)}`, query);
  }

  /** Workflow patterns of the sessions started in the last `days` days, default 7 (GET /analytics/workflows/recent). */
  getRecentWorkflowPatterns(days?: number): Promise<RecentWorkflowPatterns> {
    return this.get('analytics/workflows/recent', { days });
  }

  /**
   * A session's success score (0-100) and what it rests on (GET /analytics/sessions/{id}/score).
   * @throws {@link HookdApiError} 404 `session_not_found`.
   */
  calculateSessionSuccessScore(sessionId: string): Promise<SessionScore> {
    return this.get(`analytics/sessions/${encodeURIComponent(sessionId)}/score`);
  }

  /** Records that a hook started (POST /executions): status RUNNING and a new `execution_id`. */
  createExecution(input: ExecutionCreate): Promise<Execution> {
    return this.send('POST', 'executions', {}, input);
  }

  /**
   * Records progress or the outcome (PATCH /executions/{id}). An outcome is final.
   * @throws {@link HookdApiError} 409 `execution_finished` for another outcome; 404 `execution_not_found`.
   */
  updateExecution(executionId: string, input: ExecutionUpdate): Promise<Execution> {
    return this.send('PATCH', `executions/${encodeURIComponent(executionId)}`, {}, input);
  }

  /** One execution (GET /executions/{id}). */
  getExecution(executionId: string): Promise<Execution> {
    return this.get(`executions/${encodeURIComponent(executionId)}`);
  }

  /** One page of executions, newest first (GET /executions). */
  listExecutions(query: ExecutionQuery = {}): Promise<ExecutionPage> {
    return this.get('executions', query);
  }

  /** Every execution the query matches, one at a time, following `next_cursor`. */
  async *allExecutions(query: ExecutionQuery = {}): AsyncGenerator<Execution, void, undefined> {
    let cursor = query.cursor;
    do {
      const page = await this.listExecutions({ ...query, cursor });
      yield* page.items;
      cursor = page.next_cursor ?? undefined;
    } while (cursor !== undefined);
  }

  /** Executions started in the last `hours` hours: by status, success rate, mean and p95 time (GET /executions/statistics). */
  executionStatistics(query: ExecutionStatisticsQuery = {}): Promise<ExecutionStatistics> {
    return this.get('executions/statistics', query);
  }

  /**
   * Deletes executions started more than `days` days ago (default 90) with the hourly rows of
   * the hours they leave (POST /executions/cleanup). Needs the `admin` scope.
   */
  cleanupExecutions(days?: number): Promise<CleanupResult> {
    return this.send('POST', 'executions/cleanup', { days });
  }

  /** One hook's figures over a range, exact from its executions (GET /performance/summary). */
  performanceSummary(query: PerformanceSummaryQuery): Promise<PerformanceSummary> {
    return this.get('performance/summary', query);
  }

  /** One page of hourly performance rows, newest hour first (GET /performance/metrics). */
  performanceMetrics(query: PerformanceMetricsQuery = {}): Promise<PerformanceMetricsPage> {
    return this.get('performance/metrics', query);
  }

  /** Every hourly row the query matches, one at a time, following `next_cursor`. */
  async *allPerformanceMetrics(query: PerformanceMetricsQuery = {}): AsyncGenerator<PerformanceMetricsRow, void, undefined> {
    let cursor = query.cursor;
    do {
      const page = await this.performanceMetrics({ ...query, cursor });
      yield* page.items;
      cursor = page.next_cursor ?? undefined;
    } while (cursor !== undefined);
  }

  /**
   * Recomputes the hourly rows of every hour overlapping the range (POST /performance/aggregate);
   * running it again changes nothing. Needs the `admin` scope.
   */
  aggregatePerformance(range: AggregateRange = {}): Promise<AggregateResult> {
    return this.send('POST', 'performance/aggregate', {}, range);
  }

  /** Every team with a saved configuration (GET /teams). */
  listTeams(): Promise<TeamSummaries> {
    return this.get('teams');
  }

  /** A team's configuration, or the default one (revision 0, is_default) when it has none (GET /teams/{id}/configuration). */
  getTeamConfiguration(teamId: string): Promise<TeamConfigurationView> {
    return this.get(`teams/${encodeURIComponent(teamId)}/configuration`);
  }

  /**
   * Saves a team's whole configuration (PUT /teams/{id}/configuration). Needs the `admin` scope.
   * @throws {@link HookdApiError} 400 `validation_failed` listing every problem with its path in
   * `details.problems`; 409 `revision_conflict` for a stale `revision`, `claim_conflict` when
   * another enabled team claims one of its projects or sources.
   */
  saveTeamConfiguration(teamId: string, configuration: TeamConfiguration, options: TeamSaveOptions = {}): Promise<TeamConfigurationView> {
    return this.send('PUT', `teams/${encodeURIComponent(teamId)}/configuration`, {}, { configuration, ...options });
  }

  /** Runs or stops a team's rules, keeping its configuration (POST /teams/{id}/enable|disable). Needs `admin`. */
  setTeamEnabled(teamId: string, enabled: boolean, revision?: number): Promise<TeamConfigurationView> {
    return this.send(
      'POST',
      `teams/${encodeURIComponent(teamId)}/${enabled ? 'enable' : 'disable'}`,
      {},
      revision === undefined ? {} : { revision },
    );
  }

  /** Which of a team's rules an event fires and why each condition matched or not; stores nothing (POST /rules/test). */
  testRules(request: RuleTestRequest): Promise<RuleTestResult> {
    return this.send('POST', 'rules/test', {}, request);
  }

  /**
   * A rule's message template rendered against a stored (`event_id`) or given (`event`) event:
   * the title, the text and the whole message a firing would send; stores nothing (POST /rules/preview).
   * @throws {@link HookdApiError} 400 `validation_failed` naming `template` (or `template.title`, ...)
   * when it does not parse; 404 for an event the token does not see.
   */
  previewRule(request: RulePreviewRequest): Promise<RulePreviewResult> {
    return this.send('POST', 'rules/preview', {}, request);
  }

  /** The channels the token sees: its team's and the installation's, every one for an unbound token (GET /channels). URLs redacted. */
  listChannels(): Promise<Channels> {
    return this.get('channels');
  }

  /**
   * One channel, its URL redacted (GET /channels/{id}).
   * @throws {@link HookdApiError} 404 `channel_not_found`.
   */
  getChannel(channelId: string): Promise<Channel> {
    return this.get(`channels/${encodeURIComponent(channelId)}`);
  }

  /**
   * Adds a channel; its URL and signing secret are sealed at rest (POST /channels). Needs the `admin` scope.
   * @throws {@link HookdApiError} 400 `validation_failed` naming each bad field in `details.problems`
   * (a private address, a webhook without a secret, ...); 409 `channel_exists`.
   */
  createChannel(input: ChannelCreate): Promise<Channel> {
    return this.send('POST', 'channels', {}, input);
  }

  /** Changes a channel's URL, secret or name (PATCH /channels/{id}). Needs `admin`. */
  updateChannel(channelId: string, input: ChannelUpdate): Promise<Channel> {
    return this.send('PATCH', `channels/${encodeURIComponent(channelId)}`, {}, input);
  }

  /** Removes a channel (DELETE /channels/{id}). Needs `admin`. */
  async removeChannel(channelId: string): Promise<void> {
    await this.send('DELETE', `channels/${encodeURIComponent(channelId)}`);
  }

  /**
   * Sends a real test message and answers with what the receiver said (POST /channels/{id}/test).
   * Needs `admin`. A receiver's refusal is a reply with `delivered: false`, not an error.
   */
  testChannel(channelId: string): Promise<ChannelTestResult> {
    return this.send('POST', `channels/${encodeURIComponent(channelId)}/test`, {}, {});
  }

  /** Holds a channel's notifications back until resumed, with the reason shown (POST /channels/{id}/pause). Needs `admin`. */
  pauseChannel(channelId: string, reason?: string): Promise<Channel> {
    return this.send('POST', `channels/${encodeURIComponent(channelId)}/pause`, {}, reason === undefined ? {} : { reason });
  }

  /** Delivers a paused channel's notifications again (POST /channels/{id}/resume). Needs `admin`. */
  resumeChannel(channelId: string): Promise<Channel> {
    return this.send('POST', `channels/${encodeURIComponent(channelId)}/resume`, {}, {});
  }

  /** One page of notifications, newest first (GET /notifications). A bound token sees its team's or session's. */
  listNotifications(query: NotificationQuery = {}): Promise<NotificationPage> {
    return this.get('notifications', query);
  }

  /** Every notification the query matches, one at a time, following `next_cursor`. */
  async *allNotifications(query: NotificationQuery = {}): AsyncGenerator<Notification, void, undefined> {
    let cursor = query.cursor;
    do {
      const page = await this.listNotifications({ ...query, cursor });
      yield* page.items;
      cursor = page.next_cursor ?? undefined;
    } while (cursor !== undefined);
  }

  /**
   * One notification with what it said and every attempt: status code, latency, error, the
   * start of the answer (GET /notifications/{id}).
   * @throws {@link HookdApiError} 404 `notification_not_found`.
   */
  getNotification(notificationId: string): Promise<NotificationDetail> {
    return this.get(`notifications/${encodeURIComponent(notificationId)}`);
  }

  /**
   * Sends a failed or dead notification again now, with a fresh retry window
   * (POST /notifications/{id}/retry). Needs `admin`.
   * @throws {@link HookdApiError} 409 `not_retryable` for one pending, sending or sent; 404 `notification_not_found`.
   */
  retryNotification(notificationId: string): Promise<Notification> {
    return this.send('POST', `notifications/${encodeURIComponent(notificationId)}/retry`);
  }

  /** Sends again every dead notification (or failed: `status`) that matches, each with a fresh window (POST /notifications/replay). Needs `admin`. */
  replayNotifications(filters: NotificationReplayFilters = {}): Promise<NotificationReplayResult> {
    return this.send('POST', 'notifications/replay', {}, filters);
  }

  /** Every config entry, secrets redacted (GET /config). Needs an unbound token. */
  listConfig(): Promise<ConfigEntries> {
    return this.get('config');
  }

  /**
   * One config entry, a secret redacted (GET /config/{key}).
   * @throws {@link HookdApiError} 404 `config_not_found` for a key not set.
   */
  getConfig(key: string): Promise<ConfigEntry>;
  /** One config entry, or `fallback` for a key not set (`getConfig(key, null)`); other errors still throw. */
  getConfig<F>(key: string, fallback: F): Promise<ConfigEntry | F>;
  async getConfig<F>(key: string, ...fallback: [] | [F]): Promise<ConfigEntry | F> {
    try {
      return await this.get<ConfigEntry>(`config/${encodeURIComponent(key)}`);
    } catch (error) {
      if (fallback.length === 1 && error instanceof HookdApiError && error.status === 404 && error.code === 'config_not_found') {
        return fallback[0];
      }
      throw error;
    }
  }

  /**
   * Sets a config entry (PUT /config/{key}); with `secret` the value is sealed at rest and
   * the reply shows it redacted. Needs `admin` on an unbound token.
   */
  setConfig(key: string, value: string, options: ConfigSetOptions = {}): Promise<ConfigEntry> {
    return this.send(
      'PUT',
      `config/${encodeURIComponent(key)}`,
      {},
      { value, ...(options.secret === undefined ? {} : { secret: options.secret }) },
    );
  }

  /**
   * Removes a config entry (DELETE /config/{key}). Needs `admin`.
   * @throws {@link HookdApiError} 404 `config_not_found` for a key not set.
   */
  async deleteConfig(key: string): Promise<void> {
    await this.send('DELETE', `config/${encodeURIComponent(key)}`);
  }

  /**
   * Runs `fn` as a tracked hook execution: recorded RUNNING before it starts, then SUCCESS
   * (with what `ctx.notified()` reported), FAILED (the error), TIMEOUT (past `timeoutMs`:
   * `fn`'s signal aborts and the call rejects with ExecutionTimeoutError) or CANCELLED
   * (`signal` aborted), each with the time it took. `fn`'s own outcome is what the call
   * resolves or rejects with; if recording the outcome fails after `fn` succeeded, that
   * failure is thrown.
   */
  trackExecution<T>(hook: ExecutionCreate, fn: (ctx: TrackContext) => Promise<T> | T, options: TrackOptions = {}): Promise<T> {
    return trackExecution(this, hook, fn, options);
  }

  private get<T>(path: string, query: QueryValues = {}): Promise<T> {
    return this.send('GET', path, query);
  }

  /** `method` on `path` (relative to the base URL, segments already encoded) with the defined query values and a JSON body; the parsed JSON reply (undefined for a 204). */
  private async send<T>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    query: QueryValues = {},
    body?: unknown,
  ): Promise<T> {
    const url = new URL(path, this.base);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await this.fetchImpl(url, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await res.text();
    if (!res.ok) throw HookdApiError.fromResponse(res.status, res.statusText, text, `${method} ${url.pathname}`);
    if (res.status === 204) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new HookdApiError(res.status, 'invalid_response', `${method} ${url.pathname}: the ${res.status} reply is not JSON`, {
        body: text.slice(0, 500),
      });
    }
  }
}
