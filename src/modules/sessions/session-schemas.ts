import { Type } from 'typebox';
import { EventOut } from '../events/event-schemas.ts';

const Str = Type.Union([Type.String(), Type.Null()]);
const Time = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);
const Count = Type.Union([Type.Integer(), Type.Null()]);

export const ToolUseOut = Type.Object({
  session_id: Type.String(),
  tool_use_id: Type.String(),
  tool_name: Type.String(),
  input_summary: Str,
  status: Type.Union([Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]),
  started_at: Time,
  ended_at: Time,
  duration_ms: Type.Union([Type.Integer(), Type.Null()]),
  error: Str,
  interrupted: Type.Union([Type.Boolean(), Type.Null()]),
  agent_id: Str,
  agent_type: Str,
  subagent_type: Type.Union([Type.String({ description: 'for Task calls: the subagent type started' }), Type.Null()]),
  truncated: Type.Boolean(),
  prompt_id: Type.Union([
    Type.String({ description: 'the prompt (Claude Code prompt_id) or turn (Codex turn_id) that caused the call' }),
    Type.Null(),
  ]),
  task_id: Type.Union([Type.String({ description: "the task its events named, else the session's at the time" }), Type.Null()]),
  agent_run: Type.Union([
    Type.Object(
      {
        total_tokens: Count,
        input_tokens: Count,
        output_tokens: Count,
        cache_read_tokens: Count,
        cache_creation_tokens: Count,
        model: Str,
        agent_id: Str,
      },
      { description: 'Agent/Task calls: what the subagent they ran used, from the call result' },
    ),
    Type.Null(),
  ]),
});

const SubagentOut = Type.Object({
  agent_id: Type.String(),
  agent_type: Str,
  status: Type.Union([Type.Literal('running'), Type.Literal('finished')]),
  started_at: Type.String({ format: 'date-time' }),
  ended_at: Time,
  tool_use_id: Type.Union([Type.String({ description: 'the Agent/Task call that started it, when it could be told' }), Type.Null()]),
  parent_agent_id: Type.Union([Type.String({ description: 'null: started by the main agent' }), Type.Null()]),
  tool_calls: Type.Integer(),
  failures: Type.Integer(),
  total_tokens: Count,
  model: Str,
  cost_usd: Type.Union([Type.Number({ description: "its tokens at its model's price: a share of the session's cost" }), Type.Null()]),
});

const PromptUsageOut = Type.Object({
  prompt_id: Type.Union([Type.String({ description: 'Claude Code prompt.id (Codex: turn)' }), Type.Null()]),
  model: Str,
  first_at: Type.String({ format: 'date-time' }),
  requests: Type.Integer(),
  input_tokens: Type.Integer(),
  output_tokens: Type.Integer(),
  cache_read_tokens: Type.Integer(),
  cache_creation_tokens: Type.Integer(),
  cost_usd: Type.Number(),
  unpriced_tokens: Type.Integer(),
});

const sessionFields = {
  session_id: Type.String(),
  source: Type.String(),
  project: Str,
  cwd: Str,
  git_branch: Str,
  terminal: Str,
  user: Str,
  host: Str,
  team_id: Str,
  model: Str,
  permission_mode: Str,
  status: Type.Union([Type.Literal('active'), Type.Literal('idle'), Type.Literal('ended')]),
  started_at: Type.String({ format: 'date-time' }),
  last_activity_at: Type.String({ format: 'date-time' }),
  ended_at: Time,
  end_reason: Type.Union([Type.String({ description: 'clear, logout, prompt_input_exit, other, stale, ...' }), Type.Null()]),
  idle_since: Time,
  events: Type.Integer(),
  prompts: Type.Integer(),
  tool_calls: Type.Integer(),
  failures: Type.Integer(),
  subagents: Type.Integer(),
  permission_denials: Type.Integer({ description: 'calls the auto mode denied (PermissionDenied)' }),
  stop_failures: Type.Integer({ description: 'turns that ended in an API error (StopFailure)' }),
  error_kind: Type.Union([
    Type.String({ description: "the latest turn's API error (rate_limit, overloaded, ...), until the next prompt" }),
    Type.Null(),
  ]),
  error_message: Str,
  input_tokens: Type.Integer({ description: "tokens of the session's model requests, from the agents' telemetry or transcripts" }),
  output_tokens: Type.Integer(),
  cache_read_tokens: Type.Integer(),
  cache_creation_tokens: Type.Integer(),
  cost_usd: Type.Number({ description: 'US dollars: as the agent reported, else priced from the tokens (docs/cost.md)' }),
  unpriced_tokens: Type.Integer({ description: 'tokens of models without a known price, whose cost is not in cost_usd' }),
  task_id: Type.Union([Type.String({ description: 'the task of its latest event that names one' }), Type.Null()]),
};

export const SessionOut = Type.Object(sessionFields);

export const SessionDetailOut = Type.Object({
  ...sessionFields,
  tool_uses: Type.Array(ToolUseOut),
  agents: Type.Array(SubagentOut),
  usage: Type.Array(PromptUsageOut, { description: "the session's counted token usage per prompt and model" }),
  tasks: Type.Array(
    Type.Object({
      task_id: Type.String(),
      first_at: Type.String({ format: 'date-time' }),
      last_at: Type.String({ format: 'date-time' }),
      events: Type.Integer({ description: 'its events that named the task' }),
    }),
    { description: 'the tasks its events named (task_id), in the order it first worked on them' },
  ),
  recent_events: Type.Array(EventOut),
});

export const ToolUseQuery = Type.Object({
  session_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  tool_name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
});

export const SessionListQuery = Type.Object({
  status: Type.Optional(
    Type.Union([Type.Literal('active'), Type.Literal('idle'), Type.Literal('ended'), Type.Literal('open')], {
      description: 'open = active or idle',
    }),
  ),
  project: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  source: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  git_branch: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  model: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  from: Type.Optional(Type.String({ description: 'start time, ISO-8601 or epoch ms, inclusive' })),
  to: Type.Optional(Type.String({ description: 'start time, ISO-8601 or epoch ms, exclusive' })),
  has_failures: Type.Optional(
    Type.Boolean({ description: 'true: only sessions with a failed tool call (failed_tools > 0); false: only those without' }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 1000 })),
});

export const SessionList = Type.Object({
  items: Type.Array(SessionOut),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});

// Request bodies of the session operations. The limits are the derived columns' own, so
// nothing a client sends is cut silently.
const In = (max: number, description?: string) => Type.String({ minLength: 1, maxLength: max, description });
const sessionFieldsIn = {
  source: Type.Optional(In(100, 'who reports the session: claude-code, sdk, ... (default api)')),
  project: Type.Optional(In(255)),
  cwd: Type.Optional(In(1000)),
  git_branch: Type.Optional(In(255)),
  terminal: Type.Optional(In(255)),
  user: Type.Optional(In(255)),
  host: Type.Optional(In(255)),
  team_id: Type.Optional(In(255, "a team-bound token's own team always wins")),
  model: Type.Optional(In(255)),
  permission_mode: Type.Optional(In(100)),
};

export const SessionIdParams = Type.Object({ id: In(255) });

export const SessionCreateIn = Type.Object({
  session_id: In(255),
  ...sessionFieldsIn,
  started_at: Type.Optional(Type.String({ format: 'date-time', description: 'ISO-8601 with offset; default now' })),
});

export const SessionUpsertIn = Type.Object(sessionFieldsIn, { description: 'Fields left out keep their value' });

export const SessionIdleIn = Type.Object({
  idle: Type.Optional(Type.Boolean({ default: true, description: 'false: busy again, as POST .../activity' })),
});

export const SessionEndIn = Type.Object({
  reason: Type.Optional(In(100, 'end_reason to record (default api)')),
});
