-- Agent sessions and tool calls, derived from events at ingest in the events' own
-- transaction (see src/modules/sessions). Times are epoch milliseconds (UTC).
CREATE TABLE sessions (
  session_id       TEXT    PRIMARY KEY,
  source           TEXT    NOT NULL,
  project          TEXT,
  cwd              TEXT,
  git_branch       TEXT,
  terminal         TEXT,
  terminal_info    TEXT,
  user             TEXT,
  host             TEXT,
  team_id          TEXT,
  model            TEXT,
  permission_mode  TEXT,
  started_at       INTEGER NOT NULL,
  last_activity_at INTEGER NOT NULL,
  last_start_at    INTEGER,
  ended_at         INTEGER,
  end_reason       TEXT,
  idle_since       INTEGER,
  idle_changed_at  INTEGER,
  events           INTEGER NOT NULL DEFAULT 0,
  prompts          INTEGER NOT NULL DEFAULT 0,
  tool_calls       INTEGER NOT NULL DEFAULT 0,
  failures         INTEGER NOT NULL DEFAULT 0,
  subagents        INTEGER NOT NULL DEFAULT 0,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);
CREATE INDEX sessions_last_activity_idx ON sessions (last_activity_at);
-- The stale sweep and the active list look only at open sessions.
CREATE INDEX sessions_open_idx ON sessions (last_activity_at) WHERE ended_at IS NULL;
CREATE INDEX sessions_project_idx ON sessions (project, last_activity_at);

CREATE TABLE tool_uses (
  id                   INTEGER PRIMARY KEY,
  session_id           TEXT    NOT NULL,
  tool_use_id          TEXT    NOT NULL,
  tool_name            TEXT    NOT NULL,
  input_summary        TEXT,
  started_at           INTEGER,
  ended_at             INTEGER,
  duration_ms          INTEGER,
  reported_duration_ms INTEGER,
  status               TEXT    NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  error                TEXT,
  interrupted          INTEGER,
  agent_id             TEXT,
  agent_type           TEXT,
  subagent_type        TEXT,
  truncated            INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX tool_uses_session_tool_use_uq ON tool_uses (session_id, tool_use_id);
CREATE INDEX tool_uses_tool_name_idx ON tool_uses (tool_name, started_at);
