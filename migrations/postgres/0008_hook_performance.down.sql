-- Removes exactly what 0008_hook_performance.up.sql created.
DROP TABLE scheduled_jobs;
DROP INDEX hook_executions_updated_idx;
DROP TABLE hook_performance_metrics;
