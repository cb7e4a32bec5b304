-- Hook executions (seed 000): one row per run of a hook, from start (RUNNING) to its
-- outcome. The seed's CHECK left out RUNNING although a created execution starts there.
CREATE TABLE hook_executions (
  execution_id        text PRIMARY KEY,
  hook_id             text NOT NULL,
  hook_type           text NOT NULL,
  team_id             text NOT NULL,
  event_type          text NOT NULL,
  event_id            text,
  ticket_key          text,
  project_key         text,
  status              text NOT NULL CHECK (status IN ('RUNNING', 'SUCCESS', 'FAILED', 'TIMEOUT', 'CANCELLED')),
  started_at          timestamptz NOT NULL,
  completed_at        timestamptz,
  execution_time_ms   double precision,
  notification_sent   boolean NOT NULL DEFAULT false,
  notification_result jsonb,
  errors              jsonb NOT NULL DEFAULT '[]'::jsonb,
  metadata            jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
-- Lists are newest first by (started_at, execution_id), filtered by hook, team or status.
CREATE INDEX hook_executions_started_idx ON hook_executions (started_at DESC, execution_id DESC);
CREATE INDEX hook_executions_hook_idx ON hook_executions (hook_id, started_at DESC, execution_id DESC);
CREATE INDEX hook_executions_team_idx ON hook_executions (team_id, started_at DESC, execution_id DESC);
CREATE INDEX hook_executions_status_idx ON hook_executions (status, started_at DESC, execution_id DESC);
