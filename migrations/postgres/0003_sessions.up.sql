-- Agent sessions and tool calls, derived from events at ingest in the events' own
-- transaction (see src/modules/sessions). Neither is partitioned: one row per session or
-- call, far fewer than events, and both are updated in place.
CREATE TABLE sessions (
  session_id       text        PRIMARY KEY,
  source           text        NOT NULL,
  project          text,
  cwd              text,
  git_branch       text,
  terminal         text,
  terminal_info    text,
  "user"           text,
  host             text,
  team_id          text,
  model            text,
  permission_mode  text,
  started_at       timestamptz NOT NULL,
  last_activity_at timestamptz NOT NULL,
  last_start_at    timestamptz,
  ended_at         timestamptz,
  end_reason       text,
  idle_since       timestamptz,
  idle_changed_at  timestamptz,
  events           bigint      NOT NULL DEFAULT 0,
  prompts          bigint      NOT NULL DEFAULT 0,
  tool_calls       bigint      NOT NULL DEFAULT 0,
  failures         bigint      NOT NULL DEFAULT 0,
  subagents        bigint      NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL
);
CREATE INDEX sessions_last_activity_idx ON sessions (last_activity_at);
-- The stale sweep and the active list look only at open sessions.
CREATE INDEX sessions_open_idx ON sessions (last_activity_at) WHERE ended_at IS NULL;
CREATE INDEX sessions_project_idx ON sessions (project, last_activity_at);

CREATE TABLE tool_uses (
  id                   bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  session_id           text        NOT NULL,
  tool_use_id          text        NOT NULL,
  tool_name            text        NOT NULL,
  input_summary        text,
  started_at           timestamptz,
  ended_at             timestamptz,
  duration_ms          integer,
  reported_duration_ms integer,
  status               text        NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  error                text,
  interrupted          boolean,
  agent_id             text,
  agent_type           text,
  subagent_type        text,
  truncated            boolean     NOT NULL DEFAULT false,
  UNIQUE (session_id, tool_use_id)
);
CREATE INDEX tool_uses_tool_name_idx ON tool_uses (tool_name, started_at);
