import { Type } from 'typebox';
import { RELATIONSHIP_KINDS, TASK_CONCLUSIONS, TASK_STATUSES } from './task.ts';

const TaskId = Type.String({
  minLength: 1,
  maxLength: 255,
  pattern: '^[^\\u0000-\\u001f\\u007f/]+$',
  description: 'Chosen by the client (a tracker key such as ENG-123 works as is): 1-255 characters, no control characters or /',
});
const Text = (maxLength: number, description: string) => Type.String({ maxLength, description });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Status = Type.String({ maxLength: 50, description: `One of ${TASK_STATUSES.join(', ')} (GitHub check runs)` });
const Conclusion = Type.String({ maxLength: 50, description: `With completed only: one of ${TASK_CONCLUSIONS.join(', ')}` });
const Strings = (description: string) =>
  Type.Array(Type.String({ maxLength: 65_536 }), { maxItems: 1000, description: `${description}; at most 64 KiB as JSON (413 above)` });

const fields = {
  title: Type.String({ minLength: 1, maxLength: 500 }),
  description: Nullable(Text(65_536, 'Free text')),
  priority: Type.Integer({ description: '0 (lowest) to 10 (highest); 5 when not given, as in the seed' }),
  requirements: Strings('What the task must do'),
  acceptance_criteria: Strings('How its completion is judged'),
  assignee: Nullable(Text(200, 'Who owns it')),
  agent: Nullable(Text(200, 'The coding agent working on it, e.g. claude-code')),
  parent_task_id: Nullable(TaskId),
  metadata: Type.Record(Type.String(), Type.Unknown(), { description: 'A JSON object; at most 64 KiB as JSON (413 above)' }),
  status: Status,
  conclusion: Nullable(Conclusion),
};

export const TaskIdParams = Type.Object({ task_id: TaskId });
export const RelationshipParams = Type.Object({ task_id: TaskId, to_task_id: TaskId, kind: Type.String({ maxLength: 50 }) });

export const TaskCreateIn = Type.Object(
  {
    task_id: Type.Optional(TaskId),
    team_id: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: "The owning team; absent: the token's team (bound), none (unbound)" }),
    ),
    title: fields.title,
    description: Type.Optional(fields.description),
    priority: Type.Optional(fields.priority),
    requirements: Type.Optional(fields.requirements),
    acceptance_criteria: Type.Optional(fields.acceptance_criteria),
    assignee: Type.Optional(fields.assignee),
    agent: Type.Optional(fields.agent),
    parent_task_id: Type.Optional(fields.parent_task_id),
    metadata: Type.Optional(fields.metadata),
    status: Type.Optional(fields.status),
    conclusion: Type.Optional(fields.conclusion),
  },
  { additionalProperties: false },
);

export const TaskUpdateIn = Type.Object(
  {
    title: Type.Optional(fields.title),
    description: Type.Optional(fields.description),
    priority: Type.Optional(fields.priority),
    requirements: Type.Optional(fields.requirements),
    acceptance_criteria: Type.Optional(fields.acceptance_criteria),
    assignee: Type.Optional(fields.assignee),
    agent: Type.Optional(fields.agent),
    parent_task_id: Type.Optional(fields.parent_task_id),
    metadata: Type.Optional(fields.metadata),
    status: Type.Optional(fields.status),
    conclusion: Type.Optional(fields.conclusion),
  },
  { additionalProperties: false },
);

export const TaskListQuery = Type.Object(
  {
    status: Type.Optional(Type.String({ maxLength: 200, description: 'Comma-separated statuses' })),
    min_priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
    assignee: Type.Optional(Type.String({ maxLength: 200 })),
    parent: Type.Optional(Type.String({ maxLength: 255, description: 'Children of this task' })),
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Text in the title or description, any case' })),
    from: Type.Optional(Type.String({ maxLength: 40, description: 'Created at or after (ISO-8601 or epoch ms)' })),
    to: Type.Optional(Type.String({ maxLength: 40, description: 'Created before (ISO-8601 or epoch ms)' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

export const GraphQuery = Type.Object(
  { depth: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, default: 3 })) },
  { additionalProperties: false },
);

export const LinkIn = Type.Object(
  {
    to_task_id: TaskId,
    kind: Type.String({ maxLength: 50, description: `One of ${RELATIONSHIP_KINDS.join(', ')}` }),
    strength: Type.Optional(Type.Number({ description: 'From 0 to 1; 1 when not given' })),
  },
  { additionalProperties: false },
);

const taskOut = {
  task_id: Type.String(),
  team_id: Nullable(Type.String()),
  title: Type.String(),
  description: Nullable(Type.String()),
  status: Type.Union([Type.Literal('queued'), Type.Literal('in_progress'), Type.Literal('completed')]),
  conclusion: Nullable(
    Type.Union([
      Type.Literal('success'),
      Type.Literal('failure'),
      Type.Literal('neutral'),
      Type.Literal('cancelled'),
      Type.Literal('skipped'),
      Type.Literal('timed_out'),
      Type.Literal('action_required'),
    ]),
  ),
  priority: Type.Integer(),
  requirements: Type.Array(Type.String()),
  acceptance_criteria: Type.Array(Type.String()),
  assignee: Nullable(Type.String()),
  agent: Nullable(Type.String()),
  parent_task_id: Nullable(Type.String()),
  metadata: Type.Record(Type.String(), Type.Unknown()),
  created_at: Type.String(),
  updated_at: Type.String(),
  started_at: Nullable(Type.String()),
  completed_at: Nullable(Type.String()),
};
export const TaskOut = Type.Object(taskOut);
export const TaskList = Type.Object({ items: Type.Array(TaskOut), next_cursor: Nullable(Type.String()) });

export const RelationshipOut = Type.Object({
  from_task_id: Type.String(),
  to_task_id: Type.String(),
  kind: Type.Union([
    Type.Literal('blocks'),
    Type.Literal('depends_on'),
    Type.Literal('related'),
    Type.Literal('duplicates'),
    Type.Literal('parent_of'),
  ]),
  strength: Type.Number(),
  created_at: Type.String(),
});
export const RelationshipList = Type.Object({ items: Type.Array(RelationshipOut) });

export const TaskGraphOut = Type.Object({
  task_id: Type.String(),
  depth: Type.Integer(),
  nodes: Type.Array(Type.Object({ ...taskOut, depth: Type.Integer({ description: 'Steps from the task' }) })),
  edges: Type.Array(RelationshipOut, { description: 'The blocks and depends_on edges between the nodes' }),
});
