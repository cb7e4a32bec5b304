import type { ExecutionStatus } from '../executions/execution.ts';

export const HOUR_MS = 3_600_000;

export const MAX_STATISTICS_HOURS = 8760;
export const DEFAULT_RETENTION_DAYS = 90;
export const MAX_RETENTION_DAYS = 36_500;

/** The UTC hour a time falls in, epoch ms. */
export const hourOf = (ms: number): number => Math.floor(ms / HOUR_MS) * HOUR_MS;

/**
 * How each status counts in every figure (hourly rows, summaries, statistics), one rule
 * per status: RUNNING has no outcome yet and is left out; SUCCESS is successful; FAILED
 * and TIMEOUT are failed; CANCELLED counts in the total only (neither outcome nor time:
 * a run stopped from outside says nothing of how the hook performs).
 */
export const SUCCESSFUL_STATUSES: readonly ExecutionStatus[] = ['SUCCESS'];
export const FAILED_STATUSES: readonly ExecutionStatus[] = ['FAILED', 'TIMEOUT'];
/** Statuses whose execution_time_ms enters the average and p95. */
export const TIMED_STATUSES: readonly ExecutionStatus[] = [...SUCCESSFUL_STATUSES, ...FAILED_STATUSES];
export const UNCOUNTED_STATUS: ExecutionStatus = 'RUNNING';

/** `('A', 'B')` for an IN list; the statuses are constants, never input. */
export const sqlList = (statuses: readonly string[]): string => `(${statuses.map((s) => `'${s}'`).join(', ')})`;

/**
 * 1-based rank of the 95th percentile by nearest rank: ceil(0.95 n), in integers so
 * SQL and JavaScript agree exactly (0.95 has no exact binary form).
 */
export const p95Rank = (n: number): number => Math.floor((95 * n + 99) / 100);

/** One hourly row of hook_performance_metrics; times epoch ms. */
export interface PerformanceRow {
  hookId: string;
  hookType: string;
  teamId: string;
  timeBucket: number;
  totalExecutions: number;
  successfulExecutions: number;
  failedExecutions: number;
  avgExecutionTimeMs: number | null;
  p95ExecutionTimeMs: number | null;
  successRate: number;
  throughputPerHour: number;
  createdAt: number;
  updatedAt: number;
}

/** Executions of a range counted from the raw rows, by status; times over TIMED_STATUSES. */
export interface ExecutionFigures {
  byStatus: Record<ExecutionStatus, number>;
  /** Executions whose time enters the average and p95. */
  timed: number;
  avgExecutionTimeMs: number | null;
  p95ExecutionTimeMs: number | null;
}

/** started_at in [from, to) (epoch ms), optionally one hook or one team. */
export interface RawFilter {
  from: number;
  to: number;
  hookId?: string;
  teamId?: string;
}

export interface MetricsCursor {
  timeBucket: number;
  hookId: string;
  hookType: string;
  teamId: string;
}

export interface MetricsFilter {
  hookId?: string;
  hookType?: string;
  teamId?: string;
  /** time_bucket >= from, < to (epoch ms). */
  from?: number;
  to?: number;
  after?: MetricsCursor;
  /** Rows wanted; the store returns up to limit + 1 so the caller knows whether more follow. */
  limit: number;
}

export interface AggregateResult {
  /** Hourly rows the range holds after the recomputation. */
  written: number;
  /** Rows removed because no counted execution of their hour is left. */
  removed: number;
}

export interface PerformanceStore {
  /**
   * Recomputes every hourly row of [from, to) (whole hours) from hook_executions in one
   * transaction: rows are inserted, updated only when a figure changed (so a second run
   * changes nothing, updated_at included), and removed when their hour has no counted
   * execution left. `teamId` limits it to one team's rows.
   */
  aggregate(from: number, to: number, now: number, teamId?: string): Promise<AggregateResult>;
  /** First and last hour within [from, to) holding an execution or an hourly row; null when none. */
  extent(from: number, to: number, teamId?: string): Promise<{ first: number; last: number } | null>;
  /** Start hours of the executions updated at or after `since` (every hour when null), ascending. */
  touchedHours(since: number | null): Promise<number[]>;
  figures(filter: RawFilter): Promise<ExecutionFigures>;
  metrics(filter: MetricsFilter): Promise<PerformanceRow[]>;
  /** Deletes up to `limit` executions started before `cutoff`; returns how many. */
  deleteExecutionsBefore(cutoff: number, limit: number, teamId?: string): Promise<number>;
  /** Deletes the hourly rows of hours before `hour`; returns how many. */
  deleteRowsBefore(hour: number, teamId?: string): Promise<number>;
  /** Executions started at or after `since`, whatever their status. */
  countStartedSince(since: number): Promise<number>;
}
