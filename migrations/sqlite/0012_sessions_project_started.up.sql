-- The analytics session list filtered by project (GET /analytics/sessions?project=) pages
-- by start time: in this order it reads the page alone, however many sessions the project has.
CREATE INDEX sessions_project_started_idx ON sessions (project, started_at, session_id);
