-- What the agents did for each task: a session's current task (the task_id of its latest
-- event that names one), a tool call's task, and every task a session worked on.
ALTER TABLE sessions ADD COLUMN task_id TEXT;
ALTER TABLE sessions ADD COLUMN task_at INTEGER;
ALTER TABLE tool_uses ADD COLUMN task_id TEXT;

CREATE TABLE session_tasks (
  session_id TEXT    NOT NULL,
  task_id    TEXT    NOT NULL,
  first_at   INTEGER NOT NULL,
  last_at    INTEGER NOT NULL,
  events     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (session_id, task_id)
);
CREATE INDEX session_tasks_task_idx ON session_tasks (task_id, last_at);
