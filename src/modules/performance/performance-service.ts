import { setImmediate as yieldToIo } from 'node:timers/promises';
import { ValidationError } from '../../core/app-error.ts';
import type { ReadScope } from '../../core/read-scope.ts';
import { timeOf } from '../executions/execution-service.ts';
import {
  DEFAULT_RETENTION_DAYS,
  HOUR_MS,
  MAX_RETENTION_DAYS,
  MAX_STATISTICS_HOURS,
  hourOf,
  type AggregateResult,
  type MetricsFilter,
  type PerformanceStore,
} from './performance.ts';
import {
  decodeMetricsCursor,
  encodeMetricsCursor,
  figuresView,
  iso,
  rowView,
  type AggregateView,
  type CleanupView,
  type ExecutionStatisticsView,
  type PerformanceRowView,
  type PerformanceSummaryView,
} from './performance-views.ts';

export interface RangeQuery {
  from?: string | number;
  to?: string | number;
}

export interface SummaryQuery extends RangeQuery {
  hook_id: string;
}

export interface MetricsQuery {
  hook_id?: string;
  hook_type?: string;
  team_id?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

export interface StatisticsQuery {
  team_id?: string;
  hours?: number;
}

export const DEFAULT_RANGE_MS = 24 * HOUR_MS;
const DAY_MS = 24 * HOUR_MS;
/** Hours recomputed per transaction: short write locks, and HTTP served between them (SQLite runs on this thread). */
const CHUNK_MS = 6 * HOUR_MS;
const DELETE_BATCH = 10_000;

/**
 * Hook performance (seed 000): hourly rows derived from the executions, summaries and
 * statistics computed exactly from the executions themselves, and retention. Counting
 * rules: see performance.ts. A team-bound token sees and changes only its team's.
 */
export class PerformanceService {
  private readonly store: PerformanceStore;
  private readonly now: () => number;
  private readonly settle: () => Promise<void>;

  /**
   * `settle` resolves once what was stored before the call has been through the team rules
   * (whose fired rules are executions too), as reads of executions wait for it.
   */
  constructor(store: PerformanceStore, now: () => number = Date.now, settle: () => Promise<void> = async () => {}) {
    this.store = store;
    this.now = now;
    this.settle = settle;
  }

  /** Recomputes the hourly rows of every hour overlapping [from, to) (default the last 24 hours). */
  async aggregate(query: RangeQuery = {}, scope: ReadScope = {}): Promise<AggregateView> {
    const { from, to } = this.range(query);
    await this.settle();
    const result = await this.aggregateRange(from, to, scope.teamId ?? undefined);
    return { from: iso(hourOf(from)), to: iso(ceilHour(to)), buckets_written: result.written, buckets_removed: result.removed };
  }

  /**
   * The scheduled run: recomputes the hours of every execution updated at or after `since`
   * (all of them when null), wherever those executions started.
   */
  async aggregateChanged(since: number | null): Promise<AggregateResult & { hours: number }> {
    const hours = await this.store.touchedHours(since);
    const total = { written: 0, removed: 0, hours: hours.length };
    for (let i = 0; i < hours.length; ) {
      let j = i;
      while (j + 1 < hours.length && hours[j + 1] === hours[j]! + HOUR_MS) j++;
      const r = await this.aggregateRange(hours[i]!, hours[j]! + HOUR_MS);
      total.written += r.written;
      total.removed += r.removed;
      i = j + 1;
    }
    return total;
  }

  async summary(query: SummaryQuery, scope: ReadScope = {}): Promise<PerformanceSummaryView> {
    const { from, to } = this.range(query);
    const teamId = scope.teamId ?? undefined;
    await this.settle();
    const figures = await this.store.figures({ from, to, hookId: query.hook_id, ...(teamId ? { teamId } : {}) });
    const view = figuresView(figures);
    const throughput = Math.round((view.total_executions / ((to - from) / HOUR_MS)) * 1000) / 1000;
    return { hook_id: query.hook_id, team_id: teamId ?? null, from: iso(from), to: iso(to), ...view, throughput_per_hour: throughput };
  }

  async metrics(query: MetricsQuery, scope: ReadScope = {}): Promise<{ items: PerformanceRowView[]; next_cursor: string | null }> {
    if (scope.teamId && query.team_id !== undefined && query.team_id !== scope.teamId) return { items: [], next_cursor: null };
    const limit = query.limit ?? 100;
    const filter: MetricsFilter = { limit };
    const teamId = scope.teamId ?? query.team_id;
    if (teamId) filter.teamId = teamId;
    if (query.hook_id !== undefined) filter.hookId = query.hook_id;
    if (query.hook_type !== undefined) filter.hookType = query.hook_type;
    if (query.from !== undefined) filter.from = timeOf(query.from, 'from');
    if (query.to !== undefined) filter.to = timeOf(query.to, 'to');
    if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to) {
      throw new ValidationError([{ field: 'from', message: 'must not be after `to`' }]);
    }
    if (query.cursor !== undefined) filter.after = decodeMetricsCursor(query.cursor);
    const rows = await this.store.metrics(filter);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items: items.map(rowView), next_cursor: rows.length > limit && last ? encodeMetricsCursor(last) : null };
  }

  /** Executions started in the last `hours` hours (default 24), from the raw rows. */
  async statistics(query: StatisticsQuery = {}, scope: ReadScope = {}): Promise<ExecutionStatisticsView> {
    const hours = query.hours ?? 24;
    if (!Number.isInteger(hours) || hours < 1 || hours > MAX_STATISTICS_HOURS) {
      throw new ValidationError([{ field: 'hours', message: `must be a whole number from 1 to ${MAX_STATISTICS_HOURS}` }]);
    }
    const to = this.now();
    const from = to - hours * HOUR_MS;
    const teamId = scope.teamId ?? query.team_id ?? null;
    // Another team than the token's: nothing of it is visible, as in GET /executions.
    const hidden = !!scope.teamId && query.team_id !== undefined && query.team_id !== scope.teamId;
    await this.settle();
    const figures = hidden
      ? {
          byStatus: { RUNNING: 0, SUCCESS: 0, FAILED: 0, TIMEOUT: 0, CANCELLED: 0 },
          timed: 0,
          avgExecutionTimeMs: null,
          p95ExecutionTimeMs: null,
        }
      : await this.store.figures({ from, to, ...(teamId ? { teamId } : {}) });
    return {
      team_id: hidden ? (query.team_id ?? null) : teamId,
      hours,
      from: iso(from),
      to: iso(to),
      ...figuresView(figures),
      by_status: figures.byStatus,
    };
  }

  /**
   * Deletes the executions started more than `days` days ago, with the hourly rows of the
   * hours they leave empty: rows stay what aggregating the remaining executions gives.
   */
  async cleanup(days = DEFAULT_RETENTION_DAYS, scope: ReadScope = {}): Promise<CleanupView> {
    if (!Number.isInteger(days) || days < 1 || days > MAX_RETENTION_DAYS) {
      throw new ValidationError([{ field: 'days', message: `must be a whole number from 1 to ${MAX_RETENTION_DAYS}` }]);
    }
    const teamId = scope.teamId ?? undefined;
    const cutoff = this.now() - days * DAY_MS;
    let deleted = 0;
    for (;;) {
      const n = await this.store.deleteExecutionsBefore(cutoff, DELETE_BATCH, teamId);
      deleted += n;
      if (n < DELETE_BATCH) break;
      await yieldToIo();
    }
    const before = await this.store.deleteRowsBefore(hourOf(cutoff), teamId);
    // The cutoff's own hour kept its later executions: recomputed from what is left.
    const edge = await this.aggregateRange(hourOf(cutoff), hourOf(cutoff) + HOUR_MS, teamId);
    return { days, cutoff: iso(cutoff), deleted_count: deleted, buckets_removed: before + edge.removed };
  }

  /** Executions started in the last hour, for /health. */
  recentExecutions(): Promise<number> {
    return this.store.countStartedSince(this.now() - HOUR_MS);
  }

  /** Recomputes whole hours covering [from, to), six hours per transaction, only where there is something. */
  private async aggregateRange(from: number, to: number, teamId?: string): Promise<AggregateResult> {
    const total = { written: 0, removed: 0 };
    const extent = await this.store.extent(hourOf(from), ceilHour(to), teamId);
    if (!extent) return total;
    const end = hourOf(extent.last) + HOUR_MS;
    for (let start = hourOf(extent.first); start < end; start += CHUNK_MS) {
      const r = await this.store.aggregate(start, Math.min(start + CHUNK_MS, end), this.now(), teamId);
      total.written += r.written;
      total.removed += r.removed;
      await yieldToIo();
    }
    return total;
  }

  /** [from, to) of a request: default the 24 hours before now; reversed or empty is refused. */
  private range(query: RangeQuery): { from: number; to: number } {
    const to = query.to === undefined ? this.now() : timeOf(query.to, 'to');
    const from = query.from === undefined ? Math.max(0, to - DEFAULT_RANGE_MS) : timeOf(query.from, 'from');
    if (from >= to) throw new ValidationError([{ field: 'from', message: 'must be before `to`' }]);
    return { from, to };
  }
}

const ceilHour = (ms: number): number => Math.ceil(ms / HOUR_MS) * HOUR_MS;
