import type { TimeCursor } from '../../core/time-cursor.ts';

/** RUNNING until an outcome is recorded; the four outcomes are final. */
export const EXECUTION_STATUSES = ['RUNNING', 'SUCCESS', 'FAILED', 'TIMEOUT', 'CANCELLED'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];
export const isFinal = (status: ExecutionStatus): boolean => status !== 'RUNNING';

/** One run of a hook (seed 000's hook_executions), times in epoch ms. */
export interface Execution {
  executionId: string;
  hookId: string;
  hookType: string;
  teamId: string;
  eventType: string;
  eventId: string | null;
  ticketKey: string | null;
  projectKey: string | null;
  status: ExecutionStatus;
  startedAt: number;
  completedAt: number | null;
  executionTimeMs: number | null;
  notificationSent: boolean;
  notificationResult: Record<string, unknown> | null;
  errors: unknown[];
  metadata: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export interface ExecutionFilter {
  hookId?: string;
  hookType?: string;
  teamId?: string;
  status?: ExecutionStatus;
  eventType?: string;
  /** started_at >= from, < to (epoch ms). */
  from?: number;
  to?: number;
  after?: TimeCursor;
  /** Rows wanted; the store returns up to limit + 1 so the caller knows whether more follow. */
  limit: number;
}

export interface ExecutionStore {
  insert(execution: Execution): Promise<void>;
  get(executionId: string): Promise<Execution | null>;
  /** Writes every field of `execution` but its id and created_at; false when the row is gone. */
  update(execution: Execution): Promise<boolean>;
  list(filter: ExecutionFilter): Promise<Execution[]>;
}

/**
 * An execution from a hook_executions row. The drivers differ only in how numbers (pg's
 * int8 as text) and JSON (SQLite's text) come back: `num` and `json` read those.
 */
export function executionFromRow(r: Record<string, unknown>, num: (v: unknown) => number, json: (v: unknown) => unknown): Execution {
  const numOrNull = (v: unknown) => (v === null ? null : num(v));
  return {
    executionId: r.execution_id as string,
    hookId: r.hook_id as string,
    hookType: r.hook_type as string,
    teamId: r.team_id as string,
    eventType: r.event_type as string,
    eventId: r.event_id as string | null,
    ticketKey: r.ticket_key as string | null,
    projectKey: r.project_key as string | null,
    status: r.status as ExecutionStatus,
    startedAt: num(r.started_at),
    completedAt: numOrNull(r.completed_at),
    executionTimeMs: numOrNull(r.execution_time_ms),
    notificationSent: r.notification_sent === true || r.notification_sent === 1,
    notificationResult: r.notification_result === null ? null : (json(r.notification_result) as Record<string, unknown>),
    errors: json(r.errors) as unknown[],
    metadata: json(r.metadata) as Record<string, unknown>,
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}
