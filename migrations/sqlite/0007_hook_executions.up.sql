-- Hook executions (seed 000): one row per run of a hook, from start (RUNNING) to its
-- outcome. The seed's CHECK left out RUNNING although a created execution starts there.
-- Times are epoch ms; JSON columns hold JSON text.
CREATE TABLE hook_executions (
  execution_id        TEXT PRIMARY KEY,
  hook_id             TEXT NOT NULL,
  hook_type           TEXT NOT NULL,
  team_id             TEXT NOT NULL,
  event_type          TEXT NOT NULL,
  event_id            TEXT,
  ticket_key          TEXT,
  project_key         TEXT,
  status              TEXT NOT NULL CHECK (status IN ('RUNNING', 'SUCCESS', 'FAILED', 'TIMEOUT', 'CANCELLED')),
  started_at          INTEGER NOT NULL,
  completed_at        INTEGER,
  execution_time_ms   REAL,
  notification_sent   INTEGER NOT NULL DEFAULT 0 CHECK (notification_sent IN (0, 1)),
  notification_result TEXT,
  errors              TEXT NOT NULL DEFAULT '[]',
  metadata            TEXT NOT NULL DEFAULT '{}',
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL
) WITHOUT ROWID;
-- Lists are newest first by (started_at, execution_id), filtered by hook, team or status.
CREATE INDEX hook_executions_started_idx ON hook_executions (started_at DESC, execution_id DESC);
CREATE INDEX hook_executions_hook_idx ON hook_executions (hook_id, started_at DESC, execution_id DESC);
CREATE INDEX hook_executions_team_idx ON hook_executions (team_id, started_at DESC, execution_id DESC);
CREATE INDEX hook_executions_status_idx ON hook_executions (status, started_at DESC, execution_id DESC);
