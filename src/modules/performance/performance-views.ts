import { ValidationError } from '../../core/app-error.ts';
import type { ExecutionStatus } from '../executions/execution.ts';
import type { ExecutionFigures, MetricsCursor, PerformanceRow } from './performance.ts';

/** One hourly row as the API answers it (seed 000's names), times ISO-8601. */
export interface PerformanceRowView {
  hook_id: string;
  hook_type: string;
  team_id: string;
  time_bucket: string;
  total_executions: number;
  successful_executions: number;
  failed_executions: number;
  avg_execution_time_ms: number | null;
  p95_execution_time_ms: number | null;
  success_rate: number;
  throughput_per_hour: number;
  created_at: string;
  updated_at: string;
}

/** Figures over raw executions, by the counting rules of performance.ts. */
export interface FiguresView {
  total_executions: number;
  successful_executions: number;
  failed_executions: number;
  cancelled_executions: number;
  /** Started and not ended yet: left out of every other figure. */
  running_executions: number;
  /** successful / total, 0..1; null when nothing counted. */
  success_rate: number | null;
  avg_execution_time_ms: number | null;
  p95_execution_time_ms: number | null;
}

export interface PerformanceSummaryView extends FiguresView {
  hook_id: string;
  /** The team the figures are limited to (a team-bound token's), else null. */
  team_id: string | null;
  from: string;
  to: string;
  /** total_executions per hour of the range. */
  throughput_per_hour: number;
}

export interface ExecutionStatisticsView extends FiguresView {
  team_id: string | null;
  hours: number;
  from: string;
  to: string;
  by_status: Record<ExecutionStatus, number>;
}

export interface AggregateView {
  /** The whole hours recomputed, [from, to). */
  from: string;
  to: string;
  buckets_written: number;
  buckets_removed: number;
}

export interface CleanupView {
  days: number;
  /** Executions started before this time were deleted. */
  cutoff: string;
  deleted_count: number;
  /** Hourly rows that went with them. */
  buckets_removed: number;
}

export const iso = (ms: number): string => new Date(ms).toISOString();

export function rowView(r: PerformanceRow): PerformanceRowView {
  return {
    hook_id: r.hookId,
    hook_type: r.hookType,
    team_id: r.teamId,
    time_bucket: iso(r.timeBucket),
    total_executions: r.totalExecutions,
    successful_executions: r.successfulExecutions,
    failed_executions: r.failedExecutions,
    avg_execution_time_ms: r.avgExecutionTimeMs,
    p95_execution_time_ms: r.p95ExecutionTimeMs,
    success_rate: r.successRate,
    throughput_per_hour: r.throughputPerHour,
    created_at: iso(r.createdAt),
    updated_at: iso(r.updatedAt),
  };
}

export function figuresView(f: ExecutionFigures): FiguresView {
  const s = f.byStatus;
  const successful = s.SUCCESS;
  const failed = s.FAILED + s.TIMEOUT;
  const total = successful + failed + s.CANCELLED;
  return {
    total_executions: total,
    successful_executions: successful,
    failed_executions: failed,
    cancelled_executions: s.CANCELLED,
    running_executions: s.RUNNING,
    success_rate: total > 0 ? successful / total : null,
    avg_execution_time_ms: f.avgExecutionTimeMs,
    p95_execution_time_ms: f.p95ExecutionTimeMs,
  };
}

const LATEST_MS = 253_402_300_799_999;

export function encodeMetricsCursor(c: MetricsCursor): string {
  return Buffer.from(JSON.stringify([c.timeBucket, c.hookId, c.hookType, c.teamId])).toString('base64url');
}

export function decodeMetricsCursor(cursor: string): MetricsCursor {
  try {
    const [at, hookId, hookType, teamId] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    // Within what both dialects store: a forged one must not reach SQL.
    if (
      typeof at === 'number' &&
      Number.isInteger(at) &&
      at >= 0 &&
      at <= LATEST_MS &&
      typeof hookId === 'string' &&
      typeof hookType === 'string' &&
      typeof teamId === 'string'
    ) {
      return { timeBucket: at, hookId, hookType, teamId };
    }
  } catch {
    // falls through to the error below
  }
  throw new ValidationError([{ field: 'cursor', message: 'is not a cursor this endpoint returned' }]);
}
