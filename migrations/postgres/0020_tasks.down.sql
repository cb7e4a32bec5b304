-- Removes what 0020_tasks.up.sql added.
DROP TABLE task_relationships;
DROP TABLE tasks;
