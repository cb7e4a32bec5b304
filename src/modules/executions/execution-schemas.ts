import { Type } from 'typebox';
import { EXECUTION_STATUSES } from './execution.ts';

const Id = (description: string, maxLength = 255) => Type.String({ minLength: 1, maxLength, description });
const Time = (description: string) =>
  Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Integer({ minimum: 0 })], { description });
const Status = Type.Union(
  [Type.Literal('RUNNING'), Type.Literal('SUCCESS'), Type.Literal('FAILED'), Type.Literal('TIMEOUT'), Type.Literal('CANCELLED')],
  {
    description: `one of ${EXECUTION_STATUSES.join(', ')}`,
  },
);
const JsonObject = Type.Record(Type.String(), Type.Unknown());

export const ExecutionCreateIn = Type.Object(
  {
    hook_id: Id('The hook that ran, e.g. status_change_hook_v1'),
    hook_type: Id('Its kind, e.g. StatusChangeHook', 100),
    team_id: Type.Optional(Id('The team it ran for; required unless the token is bound to a team (then it is that team)', 100)),
    event_type: Id('The event that triggered it, e.g. jira:issue_updated or tool_execution_failed', 100),
    event_id: Type.Optional(Id('The triggering event, if stored')),
    ticket_key: Type.Optional(Id('e.g. ENG-123', 100)),
    project_key: Type.Optional(Id('e.g. ENG', 100)),
    started_at: Type.Optional(Time('ISO-8601 or epoch ms; default now')),
    metadata: Type.Optional(JsonObject),
  },
  { additionalProperties: false },
);

export const ExecutionUpdateIn = Type.Object(
  {
    status: Type.Optional(Status),
    execution_time_ms: Type.Optional(Type.Number({ minimum: 0, maximum: 1e12 })),
    completed_at: Type.Optional(Time('ISO-8601 or epoch ms; default now when a final status is set')),
    notification_sent: Type.Optional(Type.Boolean()),
    notification_result: Type.Optional(Type.Union([JsonObject, Type.Null()])),
    errors: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 1000, description: 'Replaces the list; strings or objects' })),
    metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Merged into the stored metadata, key by key' })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ExecutionIdParams = Type.Object({ execution_id: Id('The id POST /executions returned') });

export const ExecutionOut = Type.Object({
  execution_id: Type.String(),
  hook_id: Type.String(),
  hook_type: Type.String(),
  team_id: Type.String(),
  event_type: Type.String(),
  event_id: Type.Union([Type.String(), Type.Null()]),
  ticket_key: Type.Union([Type.String(), Type.Null()]),
  project_key: Type.Union([Type.String(), Type.Null()]),
  status: Status,
  started_at: Type.String({ format: 'date-time' }),
  completed_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  execution_time_ms: Type.Union([Type.Number(), Type.Null()]),
  notification_sent: Type.Boolean(),
  notification_result: Type.Union([JsonObject, Type.Null()]),
  errors: Type.Array(Type.Unknown()),
  metadata: JsonObject,
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

export const ExecutionListQuery = Type.Object({
  hook_id: Type.Optional(Id('only this hook')),
  hook_type: Type.Optional(Id('only this kind of hook', 100)),
  team_id: Type.Optional(Id('only this team', 100)),
  status: Type.Optional(Status),
  event_type: Type.Optional(Id('only executions triggered by this event type', 100)),
  from: Type.Optional(Type.String({ description: 'started at or after: ISO-8601 or epoch ms' })),
  to: Type.Optional(Type.String({ description: 'started before: ISO-8601 or epoch ms' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 600 })),
});

export const ExecutionList = Type.Object({
  items: Type.Array(ExecutionOut),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});
