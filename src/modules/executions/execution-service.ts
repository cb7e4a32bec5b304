import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../core/app-error.ts';
import { decodeTimeCursor, encodeTimeCursor } from '../../core/time-cursor.ts';
import { checkIdText, wellFormedValue } from '../../core/json-guard.ts';
import { uuidv7 } from '../../core/uuidv7.ts';
import { LATEST_MS, parseTime } from '../../core/parse-time.ts';
import type { ReadScope } from '../../core/read-scope.ts';
import { isFinal, type Execution, type ExecutionFilter, type ExecutionStatus, type ExecutionStore } from './execution.ts';

/** The API's execution (seed 000's field names), times as ISO-8601. */
export interface ExecutionView {
  execution_id: string;
  hook_id: string;
  hook_type: string;
  team_id: string;
  event_type: string;
  event_id: string | null;
  ticket_key: string | null;
  project_key: string | null;
  status: ExecutionStatus;
  started_at: string;
  completed_at: string | null;
  execution_time_ms: number | null;
  notification_sent: boolean;
  notification_result: Record<string, unknown> | null;
  errors: unknown[];
  metadata: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

export interface ExecutionCreate {
  hook_id: string;
  hook_type: string;
  team_id?: string;
  event_type: string;
  event_id?: string;
  ticket_key?: string;
  project_key?: string;
  started_at?: string | number;
  metadata?: Record<string, unknown>;
}

export interface ExecutionUpdate {
  status?: ExecutionStatus;
  execution_time_ms?: number;
  completed_at?: string | number;
  notification_sent?: boolean;
  notification_result?: Record<string, unknown> | null;
  errors?: unknown[];
  metadata?: Record<string, unknown>;
}

export interface ExecutionQuery {
  hook_id?: string;
  hook_type?: string;
  team_id?: string;
  status?: ExecutionStatus;
  event_type?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

/** Largest JSON (metadata, errors, notification_result) kept with one execution. */
export const MAX_EXECUTION_JSON_BYTES = 64 * 1024;
const MAX_JSON_DEPTH = 32;

/**
 * Hook executions: recorded by whatever runs a hook (the SDK's trackExecution, hookd's own
 * rules), from RUNNING to one final outcome. A team-bound token works only with its team's.
 */
export class ExecutionService {
  private readonly store: ExecutionStore;
  private readonly now: () => number;
  private readonly settle: () => Promise<void>;

  /** `settle`: resolves once what was stored before the call has been through the rules. */
  constructor(store: ExecutionStore, now: () => number = Date.now, settle: () => Promise<void> = async () => {}) {
    this.store = store;
    this.now = now;
    this.settle = settle;
  }

  async create(input: ExecutionCreate, scope: ReadScope = {}): Promise<ExecutionView> {
    const teamId = input.team_id ?? scope.teamId ?? undefined;
    if (teamId === undefined) throw new ValidationError([{ field: 'team_id', message: 'is required' }]);
    if (scope.teamId && teamId !== scope.teamId)
      throw new ForbiddenError('team_mismatch', `this token records executions of team "${scope.teamId}" only`);
    for (const field of ID_FIELDS) checkIdText(field, input[field]);
    const metadata = input.metadata === undefined ? {} : keptJson('metadata', input.metadata);
    const now = this.now();
    const execution: Execution = {
      executionId: uuidv7(now),
      hookId: input.hook_id,
      hookType: input.hook_type,
      teamId,
      eventType: input.event_type,
      eventId: input.event_id ?? null,
      ticketKey: input.ticket_key ?? null,
      projectKey: input.project_key ?? null,
      status: 'RUNNING',
      startedAt: input.started_at === undefined ? now : timeOf(input.started_at, 'started_at'),
      completedAt: null,
      executionTimeMs: null,
      notificationSent: false,
      notificationResult: null,
      errors: [],
      metadata,
      createdAt: now,
      updatedAt: now,
    };
    await this.store.insert(execution);
    return view(execution);
  }

  /**
   * Records progress or the outcome. A final status is final: changing it answers 409
   * (setting the same one again is a retry, and may add the other fields). Reaching a final
   * status fills completed_at (now) and execution_time_ms (from started_at) when not given.
   */
  async update(executionId: string, input: ExecutionUpdate, scope: ReadScope = {}): Promise<ExecutionView> {
    const current = await this.visible(executionId, scope);
    const next: Execution = { ...current, updatedAt: this.now() };
    if (input.status !== undefined && input.status !== current.status) {
      if (isFinal(current.status)) {
        throw new ConflictError(
          'execution_finished',
          `execution ${executionId} already ended with ${current.status}; it cannot become ${input.status}`,
        );
      }
      next.status = input.status;
    }
    if (input.completed_at !== undefined) next.completedAt = timeOf(input.completed_at, 'completed_at');
    if (isFinal(next.status) && next.completedAt === null) next.completedAt = Math.max(next.updatedAt, next.startedAt);
    if (next.completedAt !== null && next.completedAt < next.startedAt) {
      throw new ValidationError([{ field: 'completed_at', message: 'must not be before started_at' }]);
    }
    if (input.execution_time_ms !== undefined) next.executionTimeMs = input.execution_time_ms;
    else if (isFinal(next.status) && next.executionTimeMs === null) next.executionTimeMs = next.completedAt! - next.startedAt;
    if (input.notification_sent !== undefined) next.notificationSent = input.notification_sent;
    if (input.notification_result !== undefined) {
      next.notificationResult = input.notification_result === null ? null : keptJson('notification_result', input.notification_result);
    }
    if (input.errors !== undefined) {
      next.errors = keptJson('errors', input.errors);
    }
    if (input.metadata !== undefined) {
      next.metadata = keptJson('metadata', { ...current.metadata, ...input.metadata });
    }
    if (!(await this.store.update(next))) throw notFound(executionId);
    return view(next);
  }

  async get(executionId: string, scope: ReadScope = {}): Promise<ExecutionView> {
    await this.settle();
    return view(await this.visible(executionId, scope));
  }

  async list(query: ExecutionQuery, scope: ReadScope = {}): Promise<{ items: ExecutionView[]; next_cursor: string | null }> {
    if (scope.teamId && query.team_id !== undefined && query.team_id !== scope.teamId) return { items: [], next_cursor: null };
    const limit = query.limit ?? 50;
    const filter: ExecutionFilter = { limit };
    const teamId = scope.teamId ?? query.team_id;
    if (teamId) filter.teamId = teamId;
    if (query.hook_id !== undefined) filter.hookId = query.hook_id;
    if (query.hook_type !== undefined) filter.hookType = query.hook_type;
    if (query.status !== undefined) filter.status = query.status;
    if (query.event_type !== undefined) filter.eventType = query.event_type;
    if (query.from !== undefined) filter.from = timeOf(query.from, 'from');
    if (query.to !== undefined) filter.to = timeOf(query.to, 'to');
    if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to) {
      throw new ValidationError([{ field: 'from', message: 'must not be after `to`' }]);
    }
    if (query.cursor !== undefined) filter.after = decodeTimeCursor(query.cursor);
    await this.settle();
    const rows = await this.store.list(filter);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(view),
      next_cursor: rows.length > limit && last ? encodeTimeCursor({ at: last.startedAt, id: last.executionId }) : null,
    };
  }

  /** The execution, or 404 when it does not exist or belongs to another team than the token's. */
  private async visible(executionId: string, scope: ReadScope): Promise<Execution> {
    const execution = await this.store.get(executionId);
    if (!execution || (scope.teamId && execution.teamId !== scope.teamId)) throw notFound(executionId);
    return execution;
  }
}

const notFound = (executionId: string) => new NotFoundError(`no execution "${executionId}"`, 'execution_not_found');

/** ISO-8601 or epoch ms, within what both dialects store. */
export function timeOf(value: string | number, field: string): number {
  const ms = typeof value === 'number' ? value : parseTime(value, field);
  if (!(ms >= 0 && ms <= LATEST_MS)) throw new ValidationError([{ field, message: 'must be between 1970 and the year 9999' }]);
  return ms;
}

const ID_FIELDS = ['hook_id', 'hook_type', 'team_id', 'event_type', 'event_id', 'ticket_key', 'project_key'] as const;

/**
 * JSON a client sends to keep: bounded in size and depth, without NUL, which PostgreSQL's
 * jsonb refuses, and with lone surrogates made U+FFFD as in event data.
 */
function keptJson<T>(field: string, value: T): T {
  checkJson(field, value);
  return wellFormedValue(value);
}

function checkJson(field: string, value: unknown): void {
  const text = JSON.stringify(value);
  if (Buffer.byteLength(text) > MAX_EXECUTION_JSON_BYTES)
    throw new ValidationError([{ field, message: `is larger than ${MAX_EXECUTION_JSON_BYTES} bytes as JSON` }], 413);
  if (text.includes('\\u0000')) throw new ValidationError([{ field, message: 'must not contain NUL characters' }]);
  if (depth(value) > MAX_JSON_DEPTH) throw new ValidationError([{ field, message: `is nested deeper than ${MAX_JSON_DEPTH} levels` }]);
}

function depth(value: unknown, level = 1): number {
  if (typeof value !== 'object' || value === null || level > MAX_JSON_DEPTH) return level - 1;
  let deepest = level;
  for (const child of Object.values(value)) deepest = Math.max(deepest, depth(child, level + 1));
  return deepest;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function view(e: Execution): ExecutionView {
  return {
    execution_id: e.executionId,
    hook_id: e.hookId,
    hook_type: e.hookType,
    team_id: e.teamId,
    event_type: e.eventType,
    event_id: e.eventId,
    ticket_key: e.ticketKey,
    project_key: e.projectKey,
    status: e.status,
    started_at: iso(e.startedAt),
    completed_at: e.completedAt === null ? null : iso(e.completedAt),
    execution_time_ms: e.executionTimeMs,
    notification_sent: e.notificationSent,
    notification_result: e.notificationResult,
    errors: e.errors,
    metadata: e.metadata,
    created_at: iso(e.createdAt),
    updated_at: iso(e.updatedAt),
  };
}
