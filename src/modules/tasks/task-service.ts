import { AppError, ConflictError, NotFoundError, PayloadTooLargeError, ValidationError, type FieldProblem } from '../../core/app-error.ts';
import { SILENT_LOG, writeAudit, type ServiceLog } from '../../core/audit-log.ts';
import { parseTime } from '../../core/parse-time.ts';
import type { Principal } from '../../core/principal.ts';
import { decodeTimeCursor, encodeTimeCursor } from '../../core/time-cursor.ts';
import { uuidv7 } from '../../core/uuidv7.ts';
import {
  RELATIONSHIP_KINDS,
  TASK_CONCLUSIONS,
  TASK_STATUSES,
  type RelationshipKind,
  type StoredRelationship,
  type StoredTask,
  type TaskConclusion,
  type TaskScope,
  type TaskStatus,
  type TaskStore,
} from './task.ts';

/** The largest requirements, acceptance_criteria and metadata, each as JSON text (bytes of UTF-8): 413 above. */
export const MAX_TASK_DOCUMENT_BYTES = 64 * 1024;
export const DEFAULT_TASK_PRIORITY = 5;
export const TASK_ID_PATTERN = '^[^\\u0000-\\u001f\\u007f/]{1,255}$';
const TASK_ID = new RegExp(TASK_ID_PATTERN);
/** Stands in a cycle's path for a task the token may not see. */
export const HIDDEN_TASK = "(another team's task)";
/** Conclusions a task may reach straight from queued: it never ran. */
const NEVER_RAN: readonly TaskConclusion[] = ['cancelled', 'skipped'];

export interface TaskView {
  task_id: string;
  team_id: string | null;
  title: string;
  description: string | null;
  status: TaskStatus;
  conclusion: TaskConclusion | null;
  priority: number;
  requirements: string[];
  acceptance_criteria: string[];
  assignee: string | null;
  agent: string | null;
  parent_task_id: string | null;
  metadata: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  completed_at: string | null;
}

export interface RelationshipView {
  from_task_id: string;
  to_task_id: string;
  kind: RelationshipKind;
  strength: number;
  created_at: string;
}

interface TaskFields {
  title?: string;
  description?: string | null;
  priority?: number;
  requirements?: string[];
  acceptance_criteria?: string[];
  assignee?: string | null;
  agent?: string | null;
  parent_task_id?: string | null;
  metadata?: Record<string, unknown>;
  status?: string;
  conclusion?: string | null;
}

export interface TaskCreateInput extends TaskFields {
  task_id?: string;
  title: string;
  team_id?: string;
}

export type TaskUpdateInput = TaskFields;

export interface TaskListQuery {
  status?: string;
  min_priority?: number;
  assignee?: string;
  parent?: string;
  q?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

export interface LinkInput {
  to_task_id: string;
  kind: string;
  strength?: number;
}

/**
 * Tasks: what coding agents and CI work on, with GitHub check-run statuses, and the
 * relationships between them. A team-bound token sees and changes its team's tasks only
 * (the store query applies it). Each change writes an `audit` line.
 */
export class TaskService {
  private readonly store: TaskStore;
  private readonly log: ServiceLog;
  private readonly now: () => number;

  constructor(store: TaskStore, log: ServiceLog = SILENT_LOG, now: () => number = Date.now) {
    this.store = store;
    this.log = log;
    this.now = now;
  }

  async create(input: TaskCreateInput, actor: Principal): Promise<TaskView> {
    const problems: FieldProblem[] = [];
    if (input.task_id !== undefined && !TASK_ID.test(input.task_id))
      problems.push({ field: 'task_id', message: 'must be 1-255 characters, without control characters or /' });
    if (actor.teamId !== null && input.team_id !== undefined && input.team_id !== actor.teamId)
      problems.push({ field: 'team_id', message: `a token bound to team "${actor.teamId}" creates tasks of that team only` });
    problems.push(...fieldProblems(input));
    const status = (input.status ?? 'queued') as TaskStatus;
    const conclusion = (input.conclusion ?? null) as TaskConclusion | null;
    problems.push(...statusProblems(status, conclusion));
    if (problems.length > 0) throw new ValidationError(problems);
    documentLimits(input);
    const scope = scopeOf(actor);
    if (input.parent_task_id) await this.visible(input.parent_task_id, scope, 'parent_task_id');

    const now = this.now();
    const task: StoredTask = {
      taskId: input.task_id ?? uuidv7(now),
      teamId: actor.teamId ?? input.team_id ?? null,
      title: input.title,
      description: input.description ?? null,
      status,
      conclusion,
      priority: input.priority ?? DEFAULT_TASK_PRIORITY,
      requirements: input.requirements ?? [],
      acceptanceCriteria: input.acceptance_criteria ?? [],
      assignee: input.assignee ?? null,
      agent: input.agent ?? null,
      parentTaskId: input.parent_task_id ?? null,
      metadata: input.metadata ?? {},
      createdAt: now,
      updatedAt: now,
      startedAt: status === 'queued' || (status === 'completed' && NEVER_RAN.includes(conclusion as TaskConclusion)) ? null : now,
      completedAt: status === 'completed' ? now : null,
    };
    if (!(await this.store.create(task)))
      throw new ConflictError('task_exists', `task "${task.taskId}" exists; choose another id or change it with PATCH`);
    this.audit(actor, 'task.create', task.taskId);
    return view(task);
  }

  async get(taskId: string, actor: Principal): Promise<TaskView> {
    return view(await this.visible(taskId, scopeOf(actor)));
  }

  async list(query: TaskListQuery, actor: Principal): Promise<{ items: TaskView[]; next_cursor: string | null }> {
    const problems: FieldProblem[] = [];
    const statuses = query.status
      ?.split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    for (const s of statuses ?? [])
      if (!TASK_STATUSES.includes(s as TaskStatus))
        problems.push({ field: 'status', message: `"${s}" is not one of ${TASK_STATUSES.join(', ')}` });
    if (problems.length > 0) throw new ValidationError(problems);
    const from = query.from === undefined ? undefined : parseTime(query.from, 'from');
    const to = query.to === undefined ? undefined : parseTime(query.to, 'to');
    const limit = query.limit ?? 50;
    const tasks = await this.store.list(
      {
        ...(statuses?.length ? { statuses: statuses as TaskStatus[] } : {}),
        ...(query.min_priority !== undefined ? { minPriority: query.min_priority } : {}),
        ...(query.assignee !== undefined ? { assignee: query.assignee } : {}),
        ...(query.parent !== undefined ? { parent: query.parent } : {}),
        ...(query.q !== undefined && query.q !== '' ? { q: query.q } : {}),
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
        ...(query.cursor !== undefined ? { after: decodeTimeCursor(query.cursor) } : {}),
        limit: limit + 1,
      },
      scopeOf(actor),
    );
    const page = tasks.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(view),
      next_cursor: tasks.length > limit && last ? encodeTimeCursor({ at: last.createdAt, id: last.taskId }) : null,
    };
  }

  async update(taskId: string, input: TaskUpdateInput, actor: Principal): Promise<TaskView> {
    const problems = fieldProblems(input);
    if (input.parent_task_id === taskId) problems.push({ field: 'parent_task_id', message: 'a task is not its own parent' });
    if (problems.length > 0) throw new ValidationError(problems);
    documentLimits(input);
    const scope = scopeOf(actor);
    if (input.parent_task_id) await this.visible(input.parent_task_id, scope, 'parent_task_id');
    // Optimistic: the row is written only if nobody changed it since it was read.
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.visible(taskId, scope);
      const next = this.changed(current, input);
      if (await this.store.replace(next, current.updatedAt, scope)) {
        this.audit(actor, 'task.update', taskId);
        return view(next);
      }
    }
    throw new ConflictError('task_busy', `task "${taskId}" changed while being updated; try again`);
  }

  async link(taskId: string, input: LinkInput, actor: Principal): Promise<RelationshipView> {
    const problems: FieldProblem[] = [];
    if (!RELATIONSHIP_KINDS.includes(input.kind as RelationshipKind))
      problems.push({ field: 'kind', message: `must be one of ${RELATIONSHIP_KINDS.join(', ')}` });
    const strength = input.strength ?? 1;
    if (typeof strength !== 'number' || !Number.isFinite(strength) || strength < 0 || strength > 1)
      problems.push({ field: 'strength', message: 'must be a number from 0 to 1' });
    if (problems.length > 0) throw new ValidationError(problems);
    const scope = scopeOf(actor);
    await this.visible(taskId, scope);
    await this.visible(input.to_task_id, scope, 'to_task_id');
    const edge: StoredRelationship = {
      fromTaskId: taskId,
      toTaskId: input.to_task_id,
      kind: input.kind as RelationshipKind,
      strength,
      createdAt: this.now(),
    };
    const outcome = await this.store.link(edge);
    if (!outcome.added && 'cycle' in outcome) {
      const path = await this.shown(outcome.cycle, scope);
      throw new AppError(
        'relationship_cycle',
        `"${taskId}" ${edge.kind} "${edge.toTaskId}" would close a cycle: ${path.join(' -> ')}`,
        409,
        { path },
      );
    }
    if (!outcome.added)
      throw new ConflictError(
        'relationship_exists',
        `"${taskId}" ${edge.kind} "${edge.toTaskId}" exists; delete it to change its strength`,
      );
    this.audit(actor, 'task.link', `${taskId}:${edge.kind}:${edge.toTaskId}`);
    return relationshipView(edge);
  }

  async relationships(taskId: string, actor: Principal): Promise<{ items: RelationshipView[] }> {
    const scope = scopeOf(actor);
    await this.visible(taskId, scope);
    return { items: (await this.store.relationships(taskId, scope)).map(relationshipView) };
  }

  async unlink(taskId: string, toTaskId: string, kind: string, actor: Principal): Promise<void> {
    if (!RELATIONSHIP_KINDS.includes(kind as RelationshipKind))
      throw new ValidationError([{ field: 'kind', message: `must be one of ${RELATIONSHIP_KINDS.join(', ')}` }]);
    const scope = scopeOf(actor);
    await this.visible(taskId, scope);
    await this.visible(toTaskId, scope, 'to_task_id');
    if (!(await this.store.unlink(taskId, toTaskId, kind as RelationshipKind)))
      throw new NotFoundError(`no relationship "${taskId}" ${kind} "${toTaskId}"`, 'relationship_not_found');
    this.audit(actor, 'task.unlink', `${taskId}:${kind}:${toTaskId}`);
  }

  async graph(
    taskId: string,
    depth: number,
    actor: Principal,
  ): Promise<{ task_id: string; depth: number; nodes: (TaskView & { depth: number })[]; edges: RelationshipView[] }> {
    const scope = scopeOf(actor);
    await this.visible(taskId, scope);
    const graph = await this.store.graph(taskId, depth, scope);
    return {
      task_id: taskId,
      depth,
      nodes: graph.nodes.map((n) => ({ ...view(n.task), depth: n.depth })),
      edges: graph.edges.map(relationshipView),
    };
  }

  /** The task after `input`, its status moved as the transitions allow (409 otherwise). */
  private changed(current: StoredTask, input: TaskUpdateInput): StoredTask {
    const now = Math.max(this.now(), current.updatedAt + 1);
    const status = (input.status ?? current.status) as TaskStatus;
    const conclusion = (
      input.conclusion !== undefined ? input.conclusion : status === current.status ? current.conclusion : null
    ) as TaskConclusion | null;
    const next: StoredTask = {
      ...current,
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.priority !== undefined ? { priority: input.priority } : {}),
      ...(input.requirements !== undefined ? { requirements: input.requirements } : {}),
      ...(input.acceptance_criteria !== undefined ? { acceptanceCriteria: input.acceptance_criteria } : {}),
      ...(input.assignee !== undefined ? { assignee: input.assignee } : {}),
      ...(input.agent !== undefined ? { agent: input.agent } : {}),
      ...(input.parent_task_id !== undefined ? { parentTaskId: input.parent_task_id } : {}),
      ...(input.metadata !== undefined ? { metadata: input.metadata } : {}),
      updatedAt: now,
    };
    if (status === current.status && conclusion === current.conclusion) return next;
    const to = status === 'completed' ? `completed/${conclusion ?? '?'}` : status;
    const from = current.status === 'completed' ? `completed/${current.conclusion}` : current.status;
    const refuse = (why: string) => new AppError('invalid_transition', `a task cannot go from ${from} to ${to}: ${why}`, 409, { from, to });
    if (current.status === 'completed') throw refuse('completed is final');
    const problems = statusProblems(status, conclusion);
    if (problems.length > 0) throw new ValidationError(problems);
    if (status === 'queued') throw refuse('a started task does not go back to the queue');
    if (status === 'in_progress') return { ...next, status, conclusion: null, startedAt: now };
    if (current.status === 'queued' && !NEVER_RAN.includes(conclusion as TaskConclusion))
      throw refuse(`a queued task completes only as ${NEVER_RAN.join(' or ')}; start it first (in_progress)`);
    return { ...next, status, conclusion, completedAt: now };
  }

  /** A cycle's path as the scope may see it: another team's task (an unbound token linked it) is HIDDEN_TASK. */
  private async shown(path: string[], scope: TaskScope): Promise<string[]> {
    if (scope.teamId === null) return path;
    const seen = new Map<string, boolean>();
    for (const id of path) if (!seen.has(id)) seen.set(id, (await this.store.get(id, scope)) !== null);
    return path.map((id) => (seen.get(id) ? id : HIDDEN_TASK));
  }

  /** The task if the scope sees it; 404 naming `field` otherwise. */
  private async visible(taskId: string, scope: TaskScope, field?: string): Promise<StoredTask> {
    const task = await this.store.get(taskId, scope);
    if (!task) throw new NotFoundError(`no task "${taskId}"${field ? ` (${field})` : ''}`, 'task_not_found', field ? { field } : undefined);
    return task;
  }

  private audit(actor: Principal, action: string, target: string): void {
    writeAudit(this.log, { actor: actor.actor, action, target, team: actor.teamId, session: actor.sessionId });
  }
}

const scopeOf = (actor: Principal): TaskScope => ({ teamId: actor.teamId });

function statusProblems(status: TaskStatus, conclusion: TaskConclusion | null): FieldProblem[] {
  if (!TASK_STATUSES.includes(status)) return [{ field: 'status', message: `must be one of ${TASK_STATUSES.join(', ')}` }];
  if (conclusion !== null && !TASK_CONCLUSIONS.includes(conclusion))
    return [{ field: 'conclusion', message: `must be one of ${TASK_CONCLUSIONS.join(', ')}` }];
  if (status === 'completed' && conclusion === null) return [{ field: 'conclusion', message: 'a completed task needs a conclusion' }];
  if (status !== 'completed' && conclusion !== null) return [{ field: 'conclusion', message: 'only a completed task has a conclusion' }];
  return [];
}

function fieldProblems(input: TaskFields): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (input.priority !== undefined && (!Number.isInteger(input.priority) || input.priority < 0 || input.priority > 10))
    problems.push({ field: 'priority', message: 'must be an integer from 0 to 10' });
  return problems;
}

/** requirements, acceptance_criteria and metadata: each at most MAX_TASK_DOCUMENT_BYTES of JSON, else 413 naming it. */
function documentLimits(input: TaskFields): void {
  for (const field of ['requirements', 'acceptance_criteria', 'metadata'] as const) {
    const value = input[field];
    if (value === undefined) continue;
    const bytes = Buffer.byteLength(JSON.stringify(value));
    if (bytes > MAX_TASK_DOCUMENT_BYTES)
      throw new PayloadTooLargeError(`${field} is ${bytes} bytes of JSON; at most ${MAX_TASK_DOCUMENT_BYTES}`, {
        field,
        limit_bytes: MAX_TASK_DOCUMENT_BYTES,
      });
  }
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function view(t: StoredTask): TaskView {
  return {
    task_id: t.taskId,
    team_id: t.teamId,
    title: t.title,
    description: t.description,
    status: t.status,
    conclusion: t.conclusion,
    priority: t.priority,
    requirements: t.requirements,
    acceptance_criteria: t.acceptanceCriteria,
    assignee: t.assignee,
    agent: t.agent,
    parent_task_id: t.parentTaskId,
    metadata: t.metadata,
    created_at: new Date(t.createdAt).toISOString(),
    updated_at: new Date(t.updatedAt).toISOString(),
    started_at: iso(t.startedAt),
    completed_at: iso(t.completedAt),
  };
}

const relationshipView = (r: StoredRelationship): RelationshipView => ({
  from_task_id: r.fromTaskId,
  to_task_id: r.toTaskId,
  kind: r.kind,
  strength: r.strength,
  created_at: new Date(r.createdAt).toISOString(),
});
