import { ForbiddenError, NotFoundError, ValidationError } from '../../core/app-error.ts';
import type { ReadScope } from '../../core/read-scope.ts';
import { parseTime } from '../../core/parse-time.ts';
import { decodeTimeCursor, encodeTimeCursor } from '../../core/time-cursor.ts';
import type { SessionDeriver } from '../derivation/session-deriver.ts';
import {
  pct1,
  roundedMean,
  type AnalyticsFilter,
  type RollupTotals,
  type ScoreDistribution,
  type SessionSummary,
  type ToolBreakdown,
} from './analytics.ts';
import { hourRange, HOUR } from './analytics-queries.ts';
import type { AnalyticsStore } from './analytics-store.ts';
import { BIN_COUNT, percentileOfBins } from '../derivation/duration-bins.ts';

/** The filters every analytics route takes. */
export interface AnalyticsQuery {
  from?: string;
  to?: string;
  /** A duration back from now: 90m, 24h, 7d, 4w. */
  since?: string;
  source?: string;
  project?: string;
  team?: string;
}

export interface ToolRate {
  tool_name: string;
  total_uses: number;
  successful_uses: number;
  failed_uses: number;
  success_rate_pct: number | null;
  avg_duration_ms: number | null;
  p50_duration_ms: number | null;
  p95_duration_ms: number | null;
  most_common_error: string | null;
}

export interface AgentUsage {
  agent_type: string;
  invocations: number;
  sessions: number;
  successful_uses: number;
  failed_uses: number;
  success_rate_pct: number | null;
  avg_duration_ms: number | null;
  p50_duration_ms: number | null;
  p95_duration_ms: number | null;
}

export interface PatternShare {
  workflow_pattern: string;
  sessions: number;
  share_pct: number;
}

export interface ToolDurations {
  tool_name: string;
  samples: number;
  p50_ms: number | null;
  p90_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
}

export interface DayFigures {
  day: string;
  total_uses: number;
  successful_uses: number;
  failed_uses: number;
  success_rate_pct: number | null;
  avg_duration_ms: number | null;
}

export interface PeriodFigures {
  from: string;
  to: string;
  total_uses: number;
  successful_uses: number;
  failed_uses: number;
  success_rate_pct: number | null;
  avg_duration_ms: number | null;
  p50_duration_ms: number | null;
  p95_duration_ms: number | null;
}

export interface ToolPerformance extends PeriodFigures {
  tool_name: string;
  most_common_error: string | null;
  daily: DayFigures[];
  previous: PeriodFigures;
  change: { total_uses_pct: number | null; success_rate_pct_points: number | null; p50_duration_pct: number | null };
}

const SINCE_UNITS: Record<string, number> = { m: 60_000, h: HOUR, d: 24 * HOUR, w: 7 * 24 * HOUR };
const DAY = 24 * HOUR;
export const DEFAULT_TOOL_PERIOD_MS = 7 * DAY;

/** `7d` -> ms; what `since` and the CLI's --since take. */
export function parseSince(value: string, field = 'since'): number {
  const match = /^(\d{1,6})([mhdw])$/.exec(value);
  if (!match) throw new ValidationError([{ field, message: 'must be a number and a unit: 90m, 24h, 7d or 4w' }]);
  return Number(match[1]) * SINCE_UNITS[match[2]!]!;
}

/** Answers the analytics questions from the rollups and the per-session counters; never from raw events. */
export class AnalyticsService {
  private readonly store: AnalyticsStore;
  private readonly deriver: SessionDeriver;
  private readonly now: () => number;

  constructor(store: AnalyticsStore, deriver: SessionDeriver, now: () => number = Date.now) {
    this.store = store;
    this.deriver = deriver;
    this.now = now;
  }

  async sessions(query: AnalyticsQuery & { limit?: number; cursor?: string; pattern?: string }, scope: ReadScope) {
    const filter = this.filter(query, scope);
    const limit = query.limit ?? 50;
    if (!filter) return { items: [] as SessionSummary[], next_cursor: null };
    const page: { limit: number; pattern?: string; after?: { start: number; sessionId: string } } = { limit };
    if (query.pattern !== undefined) page.pattern = query.pattern;
    if (query.cursor !== undefined) {
      const { at, id } = decodeTimeCursor(query.cursor);
      page.after = { start: at, sessionId: id };
    }
    await this.deriver.catchUp();
    const rows = await this.store.sessions(filter, page);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items,
      next_cursor: rows.length > limit && last ? encodeTimeCursor({ at: Date.parse(last.session_start), id: last.session_id }) : null,
    };
  }

  async session(sessionId: string, scope: ReadScope): Promise<SessionSummary & { tools: ToolBreakdown[] }> {
    const summary = await this.visibleSession(sessionId, scope);
    return { ...summary, tools: await this.store.sessionTools(sessionId) };
  }

  async score(sessionId: string, scope: ReadScope) {
    const s = await this.visibleSession(sessionId, scope);
    return {
      session_id: s.session_id,
      success_score: s.success_score,
      workflow_pattern: s.workflow_pattern,
      successful_tools: s.successful_tools,
      failed_tools: s.failed_tools,
      ended: s.session_end !== null,
      end_reason: s.end_reason,
    };
  }

  async tools(query: AnalyticsQuery, scope: ReadScope): Promise<{ items: ToolRate[] }> {
    const filter = this.filter(query, scope, { aggregate: true });
    if (!filter) return { items: [] };
    await this.deriver.catchUp();
    const [totals, errors] = await Promise.all([this.store.rollups(filter, 'tool_name'), this.store.errors(filter)]);
    const topError = new Map<string, string>();
    for (const e of errors) if (!topError.has(e.tool_name)) topError.set(e.tool_name, e.error);
    const items = totals.map((t) => ({ tool_name: t.key, ...figures(t), most_common_error: topError.get(t.key) ?? null }));
    return { items: items.sort((a, b) => b.total_uses - a.total_uses || compare(a.tool_name, b.tool_name)) };
  }

  async tool(toolName: string, query: AnalyticsQuery, scope: ReadScope): Promise<ToolPerformance> {
    const filter = this.filter(query, scope, { aggregate: true }) ?? null;
    const to = filter?.to ?? this.now();
    const from = filter?.from ?? to - DEFAULT_TOOL_PERIOD_MS;
    if (from >= to) throw new ValidationError([{ field: 'from', message: 'must be before `to`' }]);
    const current = { ...filter, from, to };
    const previousFrom = from - (to - from);
    await this.deriver.catchUp();
    // The hour holding `from` counts in the current period only, as every range widens to whole hours.
    const split = hourRange(current).from!;
    const [now, before] = filter
      ? await Promise.all([
          this.store.rollups(current, 'bucket', { toolName }),
          this.store.rollups({ ...filter, from: previousFrom, to: split }, 'bucket', { toolName }),
        ])
      : [[], []];
    if (
      now.length === 0 &&
      before.length === 0 &&
      (!filter || (await this.store.rollups({ ...filter, from: undefined, to: undefined }, 'tool_name', { toolName })).length === 0)
    ) {
      throw new NotFoundError(`no completed calls of tool "${toolName}"`, 'tool_not_found');
    }
    const errors = filter ? await this.store.errors(current, toolName) : [];
    const cur = period(now, from, to);
    const prev = period(before, previousFrom, from);
    return {
      tool_name: toolName,
      ...cur,
      most_common_error: errors[0]?.error ?? null,
      daily: daily(now),
      previous: prev,
      change: {
        total_uses_pct: prev.total_uses > 0 ? Math.round(((cur.total_uses - prev.total_uses) * 1000) / prev.total_uses) / 10 : null,
        success_rate_pct_points:
          cur.success_rate_pct !== null && prev.success_rate_pct !== null
            ? Math.round((cur.success_rate_pct - prev.success_rate_pct) * 10) / 10
            : null,
        p50_duration_pct:
          cur.p50_duration_ms !== null && prev.p50_duration_ms
            ? Math.round(((cur.p50_duration_ms - prev.p50_duration_ms) * 1000) / prev.p50_duration_ms) / 10
            : null,
      },
    };
  }

  async workflows(query: AnalyticsQuery, scope: ReadScope): Promise<{ total_sessions: number; items: PatternShare[] }> {
    const filter = this.filter(query, scope, { aggregate: true });
    if (!filter) return { total_sessions: 0, items: [] };
    await this.deriver.catchUp();
    return shares(await this.store.patterns(filter));
  }

  async recentWorkflows(days: number, scope: ReadScope) {
    const filter = this.filter({}, scope, { aggregate: true });
    if (!filter) return { days, total_sessions: 0, items: [] as PatternShare[] };
    await this.deriver.catchUp();
    return { days, ...shares(await this.store.patterns({ ...filter, from: this.now() - days * DAY })) };
  }

  async agents(query: AnalyticsQuery, scope: ReadScope): Promise<{ items: AgentUsage[] }> {
    const filter = this.filter(query, scope, { aggregate: true });
    if (!filter) return { items: [] };
    await this.deriver.catchUp();
    const [totals, sessions] = await Promise.all([
      this.store.rollups(filter, 'subagent_type', { subagents: true }),
      this.store.agentSessions(filter),
    ]);
    const items = totals.map((t) => {
      const { total_uses, ...rest } = figures(t);
      return { agent_type: t.key, invocations: total_uses, sessions: sessions.get(t.key) ?? 0, ...rest };
    });
    return { items: items.sort((a, b) => b.invocations - a.invocations || compare(a.agent_type, b.agent_type)) };
  }

  async quality(
    query: AnalyticsQuery,
    scope: ReadScope,
  ): Promise<{ session_scores: ScoreDistribution[]; tool_durations: ToolDurations[] }> {
    const filter = this.filter(query, scope, { aggregate: true });
    if (!filter) return { session_scores: [], tool_durations: [] };
    await this.deriver.catchUp();
    const [scores, totals] = await Promise.all([this.store.scores(filter), this.store.rollups(filter, 'tool_name')]);
    const tool_durations = totals
      .filter((t) => t.timed > 0)
      .map((t) => ({
        tool_name: t.key,
        samples: t.timed,
        p50_ms: percentileOfBins(t.bins, 50),
        p90_ms: percentileOfBins(t.bins, 90),
        p95_ms: percentileOfBins(t.bins, 95),
        p99_ms: percentileOfBins(t.bins, 99),
      }))
      .sort((a, b) => b.samples - a.samples || compare(a.tool_name, b.tool_name));
    return { session_scores: scores, tool_durations };
  }

  private async visibleSession(sessionId: string, scope: ReadScope): Promise<SessionSummary> {
    await this.deriver.catchUp();
    const s = scope.sessionId && scope.sessionId !== sessionId ? null : await this.store.session(sessionId);
    if (!s || (scope.teamId && s.team_id !== scope.teamId)) throw new NotFoundError(`session ${sessionId} not found`, 'session_not_found');
    return s;
  }

  /**
   * The filter a query and the caller's scope ask for; null when they cannot both hold (a
   * team token asking for another team). Figures across sessions are not for a token
   * bound to one session.
   */
  private filter(query: AnalyticsQuery, scope: ReadScope, options: { aggregate?: boolean } = {}): AnalyticsFilter | null {
    if (options.aggregate && scope.sessionId)
      throw new ForbiddenError('session_scoped_token', 'this token is bound to one session; figures across sessions need another');
    return analyticsFilterOf(query, scope, this.now());
  }
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function figures(t: RollupTotals) {
  const total = t.succeeded + t.failed;
  return {
    total_uses: total,
    successful_uses: t.succeeded,
    failed_uses: t.failed,
    success_rate_pct: pct1(t.succeeded, total),
    avg_duration_ms: roundedMean(t.durationSumMs, t.timed),
    p50_duration_ms: percentileOfBins(t.bins, 50),
    p95_duration_ms: percentileOfBins(t.bins, 95),
  };
}

function sum(rows: readonly RollupTotals[], key: string): RollupTotals {
  const total: RollupTotals = { key, succeeded: 0, failed: 0, timed: 0, durationSumMs: 0, bins: new Array<number>(BIN_COUNT).fill(0) };
  for (const r of rows) {
    total.succeeded += r.succeeded;
    total.failed += r.failed;
    total.timed += r.timed;
    total.durationSumMs += r.durationSumMs;
    for (let i = 0; i < BIN_COUNT; i++) total.bins[i]! += r.bins[i]!;
  }
  return total;
}

function period(hours: readonly RollupTotals[], from: number, to: number): PeriodFigures {
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), ...figures(sum(hours, '')) };
}

/** Hour and day rows by UTC day, oldest first. */
function daily(hours: readonly RollupTotals[]): DayFigures[] {
  const byDay = new Map<string, RollupTotals[]>();
  for (const h of hours) {
    const day = new Date(Math.floor(Number(h.key) / DAY) * DAY).toISOString().slice(0, 10);
    byDay.set(day, [...(byDay.get(day) ?? []), h]);
  }
  return [...byDay.keys()].sort().map((day) => {
    const { total_uses, successful_uses, failed_uses, success_rate_pct, avg_duration_ms } = figures(sum(byDay.get(day)!, day));
    return { day, total_uses, successful_uses, failed_uses, success_rate_pct, avg_duration_ms };
  });
}

function shares(rows: { workflow_pattern: string; sessions: number }[]): { total_sessions: number; items: PatternShare[] } {
  const total = rows.reduce((n, r) => n + r.sessions, 0);
  const items = rows
    .map((r) => ({ ...r, share_pct: pct1(r.sessions, total) ?? 0 }))
    .sort((a, b) => b.sessions - a.sessions || compare(a.workflow_pattern, b.workflow_pattern));
  return { total_sessions: total, items };
}

/**
 * The filter of a query's time range (from/to or since) and source/project/team, with a
 * team-bound token's team in it; null when they cannot both hold (a team token asking for
 * another team). Shared by the analytics and cost figures.
 */
export function analyticsFilterOf(query: AnalyticsQuery, scope: ReadScope, now: number): AnalyticsFilter | null {
  const filter: AnalyticsFilter = {};
  if (query.since !== undefined) {
    if (query.from !== undefined) throw new ValidationError([{ field: 'since', message: 'give `since` or `from`, not both' }]);
    // Further back than 1970 is from 1970, the earliest time both storages hold.
    filter.from = Math.max(0, now - parseSince(query.since));
  }
  if (query.from !== undefined) filter.from = parseTime(query.from, 'from');
  if (query.to !== undefined) filter.to = parseTime(query.to, 'to');
  if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to) {
    throw new ValidationError([{ field: 'from', message: 'must not be after `to`' }]);
  }
  if (query.source !== undefined) filter.source = query.source;
  if (query.project !== undefined) filter.project = query.project;
  if (query.team !== undefined) filter.teamId = query.team;
  if (scope.teamId) {
    if (filter.teamId !== undefined && filter.teamId !== scope.teamId) return null;
    filter.teamId = scope.teamId;
  }
  return filter;
}
