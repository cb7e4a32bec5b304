-- Removes what 0021_task_joins.up.sql added.
DROP TABLE session_tasks;
ALTER TABLE tool_uses DROP COLUMN task_id;
ALTER TABLE sessions DROP COLUMN task_id, DROP COLUMN task_at;
