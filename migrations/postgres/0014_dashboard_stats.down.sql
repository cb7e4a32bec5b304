-- Removes exactly what 0014_dashboard_stats.up.sql created.
DROP INDEX sessions_ended_idx;
DROP TABLE event_minutes;
