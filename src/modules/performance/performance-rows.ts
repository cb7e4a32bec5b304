import type { ExecutionFigures, PerformanceRow } from './performance.ts';

/** A row as either dialect returns it: times already epoch ms, numbers maybe as text. */
export type Row = Record<string, unknown>;

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function rowFromRecord(r: Row): PerformanceRow {
  return {
    hookId: r.hook_id as string,
    hookType: r.hook_type as string,
    teamId: r.team_id as string,
    timeBucket: num(r.time_bucket),
    totalExecutions: num(r.total_executions),
    successfulExecutions: num(r.successful_executions),
    failedExecutions: num(r.failed_executions),
    avgExecutionTimeMs: numOrNull(r.avg_execution_time_ms),
    p95ExecutionTimeMs: numOrNull(r.p95_execution_time_ms),
    successRate: num(r.success_rate),
    throughputPerHour: num(r.throughput_per_hour),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

/** The counts of figuresQuery; SUM over no rows is NULL, which is none. p95 comes separately. */
export function figuresFromRow(r: Row): ExecutionFigures {
  return {
    byStatus: {
      RUNNING: num(r.RUNNING),
      SUCCESS: num(r.SUCCESS),
      FAILED: num(r.FAILED),
      TIMEOUT: num(r.TIMEOUT),
      CANCELLED: num(r.CANCELLED),
    },
    timed: num(r.timed),
    avgExecutionTimeMs: numOrNull(r.avg_ms),
    p95ExecutionTimeMs: null,
  };
}
