/** GitHub check runs' statuses and conclusions (docs/data-model.md maps the seed's words onto them). */
export const TASK_STATUSES = ['queued', 'in_progress', 'completed'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const TASK_CONCLUSIONS = ['success', 'failure', 'neutral', 'cancelled', 'skipped', 'timed_out', 'action_required'] as const;
export type TaskConclusion = (typeof TASK_CONCLUSIONS)[number];
export const RELATIONSHIP_KINDS = ['blocks', 'depends_on', 'related', 'duplicates', 'parent_of'] as const;
export type RelationshipKind = (typeof RELATIONSHIP_KINDS)[number];
/** The kinds whose edges may never close a cycle. */
export const ORDERING_KINDS: readonly RelationshipKind[] = ['blocks', 'depends_on', 'parent_of'];

export interface StoredTask {
  taskId: string;
  teamId: string | null;
  title: string;
  description: string | null;
  status: TaskStatus;
  conclusion: TaskConclusion | null;
  priority: number;
  requirements: string[];
  acceptanceCriteria: string[];
  assignee: string | null;
  agent: string | null;
  parentTaskId: string | null;
  metadata: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  completedAt: number | null;
}

export interface StoredRelationship {
  fromTaskId: string;
  toTaskId: string;
  kind: RelationshipKind;
  strength: number;
  createdAt: number;
}

/** A team-bound token's team: reads and writes see only its tasks. null: every task. */
export interface TaskScope {
  teamId: string | null;
}

export interface TaskFilter {
  statuses?: TaskStatus[];
  minPriority?: number;
  assignee?: string;
  parent?: string;
  q?: string;
  from?: number;
  to?: number;
  limit: number;
  after?: { at: number; id: string };
}

/** What a link came to: added, the edge exists, or the cycle it would close (task ids, from the new edge's start back to it). */
export type LinkOutcome = { added: true } | { added: false; exists: true } | { added: false; cycle: string[] };

export interface TaskStore {
  create(task: StoredTask): Promise<boolean>;
  get(taskId: string, scope: TaskScope): Promise<StoredTask | null>;
  list(filter: TaskFilter, scope: TaskScope): Promise<StoredTask[]>;
  /** Writes the whole row if its updated_at is still `expectedUpdatedAt` (no lost updates). */
  replace(task: StoredTask, expectedUpdatedAt: number, scope: TaskScope): Promise<boolean>;
  /** Checks for a cycle and inserts in one transaction that serialises every such insert. */
  link(edge: StoredRelationship): Promise<LinkOutcome>;
  relationships(taskId: string, scope: TaskScope): Promise<StoredRelationship[]>;
  unlink(fromTaskId: string, toTaskId: string, kind: RelationshipKind): Promise<boolean>;
  /** Tasks joined to `taskId` by blocks/depends_on edges in either direction, up to `depth` steps, with their depth. */
  graph(
    taskId: string,
    depth: number,
    scope: TaskScope,
  ): Promise<{ nodes: { task: StoredTask; depth: number }[]; edges: StoredRelationship[] }>;
}
