import type { TimeCursor } from '../../lib/time-cursor.ts';

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
