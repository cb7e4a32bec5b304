-- What the agents did for each task: a session's current task (the task_id of its latest
-- event that names one), a tool call's task, and every task a session worked on.
ALTER TABLE sessions ADD COLUMN task_id text, ADD COLUMN task_at timestamptz;
ALTER TABLE tool_uses ADD COLUMN task_id text;

CREATE TABLE session_tasks (
  session_id text        NOT NULL,
  task_id    text        NOT NULL,
  first_at   timestamptz NOT NULL,
  last_at    timestamptz NOT NULL,
  events     bigint      NOT NULL DEFAULT 0,
  PRIMARY KEY (session_id, task_id)
);
CREATE INDEX session_tasks_task_idx ON session_tasks (task_id, last_at);
