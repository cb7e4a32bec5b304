-- Figures over sessions (workflow patterns, success scores, sessions per subagent type)
-- from rollups the database keeps itself, so a read sums rows per hour or day of the
-- range asked for, never every session ever stored. Triggers keep them: every path that
-- writes sessions or tool_uses (passes, rebuilds, deletes, the stale sweep) moves a
-- session's count from its old key to its new one in the same transaction.

-- The pattern and score rules, once: the view, the rollups and their triggers read these.
-- The rules are documented in docs/data-model.md.
ALTER TABLE sessions ADD COLUMN workflow_pattern TEXT GENERATED ALWAYS AS (
  CASE
    WHEN tool_calls = 0 THEN 'chat'
    WHEN delegate_calls >= 3 OR delegate_calls * 4 >= tool_calls THEN 'delegating'
    WHEN research_calls * 4 >= tool_calls THEN 'research'
    WHEN edit_calls > 0 AND test_runs >= 2 THEN 'edit-test loop'
    WHEN edit_calls > 0 THEN 'editing'
    WHEN explore_calls * 2 >= tool_calls THEN 'explore'
    ELSE 'mixed'
  END) VIRTUAL;
ALTER TABLE sessions ADD COLUMN success_score INTEGER GENERATED ALWAYS AS (
  CASE WHEN (tools_succeeded + tools_failed) = 0 THEN 70 ELSE (140 * tools_succeeded + (tools_succeeded + tools_failed)) / (2 * (tools_succeeded + tools_failed)) END
    + CASE WHEN ended_at IS NOT NULL AND COALESCE(end_reason, '') <> 'stale' THEN 20 ELSE 0 END
    + CASE WHEN tools_succeeded > 0 THEN 10 ELSE 0 END) VIRTUAL;

DROP VIEW session_intelligence_summary;
CREATE VIEW session_intelligence_summary AS
SELECT session_id, source, project, team_id, user, host, model,
       started_at AS session_start, ended_at AS session_end, end_reason, last_activity_at,
       COALESCE(ended_at, last_activity_at) - started_at AS duration_ms,
       events AS total_events, prompts, tool_calls, tools_succeeded AS successful_tools, tools_failed AS failed_tools,
       CASE WHEN (tools_succeeded + tools_failed) > 0 THEN ((2000 * tools_succeeded + (tools_succeeded + tools_failed)) / (2 * (tools_succeeded + tools_failed))) / 10.0 END AS success_rate_pct,
       subagents AS subagents_used, explore_calls, edit_calls, test_runs, delegate_calls, research_calls,
       workflow_pattern, success_score
  FROM sessions;

-- The keys a session counts under: its start's hour and UTC day, at four grains. Every
-- row keeps the source (scores are reported per source); 'project' and 'team' keep that
-- dimension ('' for the other) and exist only when the session has it; 'full' keeps both
-- ('' where the session has none) and serves filters on both.
CREATE TABLE session_rollup_shapes (
  grain         TEXT    NOT NULL,
  span          TEXT    NOT NULL,
  bucket_ms     INTEGER NOT NULL,
  keeps_project INTEGER NOT NULL,
  keeps_team    INTEGER NOT NULL,
  PRIMARY KEY (grain, span)
) WITHOUT ROWID;
INSERT INTO session_rollup_shapes (grain, span, bucket_ms, keeps_project, keeps_team) VALUES
  ('all', 'hour', 3600000, 0, 0), ('all', 'day', 86400000, 0, 0),
  ('project', 'hour', 3600000, 1, 0), ('project', 'day', 86400000, 1, 0),
  ('team', 'hour', 3600000, 0, 1), ('team', 'day', 86400000, 0, 1),
  ('full', 'hour', 3600000, 1, 1), ('full', 'day', 86400000, 1, 1);

-- Sessions per start bucket, source, workflow pattern and success score.
CREATE TABLE session_rollups (
  grain            TEXT    NOT NULL,
  span             TEXT    NOT NULL,
  project          TEXT    NOT NULL,
  team_id          TEXT    NOT NULL,
  bucket           INTEGER NOT NULL,
  source           TEXT    NOT NULL,
  workflow_pattern TEXT    NOT NULL,
  success_score    INTEGER NOT NULL,
  sessions         INTEGER NOT NULL,
  PRIMARY KEY (grain, span, project, team_id, bucket, source, workflow_pattern, success_score)
) WITHOUT ROWID;

-- Which subagent types a session completed Task calls of, with the session's start and
-- dimensions (moved with the session's), and sessions per type in the same keys.
CREATE TABLE session_subagents (
  session_id    TEXT    NOT NULL,
  subagent_type TEXT    NOT NULL,
  started_at    INTEGER NOT NULL,
  source        TEXT    NOT NULL,
  project       TEXT,
  team_id       TEXT,
  PRIMARY KEY (session_id, subagent_type)
) WITHOUT ROWID;
CREATE TABLE subagent_session_rollups (
  grain         TEXT    NOT NULL,
  span          TEXT    NOT NULL,
  project       TEXT    NOT NULL,
  team_id       TEXT    NOT NULL,
  bucket        INTEGER NOT NULL,
  source        TEXT    NOT NULL,
  subagent_type TEXT    NOT NULL,
  sessions      INTEGER NOT NULL,
  PRIMARY KEY (grain, span, project, team_id, bucket, source, subagent_type)
) WITHOUT ROWID;

-- A session's count, added (+1) under NEW's key or taken (-1) from OLD's. SQLite triggers
-- cannot share a statement, so each of the four is written out; they differ only in the row.
CREATE TRIGGER sessions_rollup_insert AFTER INSERT ON sessions BEGIN
  INSERT INTO session_rollups (grain, span, project, team_id, bucket, source, workflow_pattern, success_score, sessions)
  SELECT grain, span, IIF(keeps_project, COALESCE(new.project, ''), ''), IIF(keeps_team, COALESCE(new.team_id, ''), ''),
         new.started_at / bucket_ms * bucket_ms, new.source, new.workflow_pattern, new.success_score, 1
    FROM session_rollup_shapes WHERE (grain <> 'project' OR new.project IS NOT NULL) AND (grain <> 'team' OR new.team_id IS NOT NULL)
  ON CONFLICT DO UPDATE SET sessions = sessions + excluded.sessions;
END;
CREATE TRIGGER sessions_rollup_delete AFTER DELETE ON sessions BEGIN
  INSERT INTO session_rollups (grain, span, project, team_id, bucket, source, workflow_pattern, success_score, sessions)
  SELECT grain, span, IIF(keeps_project, COALESCE(old.project, ''), ''), IIF(keeps_team, COALESCE(old.team_id, ''), ''),
         old.started_at / bucket_ms * bucket_ms, old.source, old.workflow_pattern, old.success_score, -1
    FROM session_rollup_shapes WHERE (grain <> 'project' OR old.project IS NOT NULL) AND (grain <> 'team' OR old.team_id IS NOT NULL)
  ON CONFLICT DO UPDATE SET sessions = sessions + excluded.sessions;
END;
CREATE TRIGGER sessions_rollup_update AFTER UPDATE ON sessions
  WHEN old.workflow_pattern <> new.workflow_pattern OR old.success_score <> new.success_score
    OR old.started_at / 3600000 <> new.started_at / 3600000 OR old.source <> new.source
    OR old.project IS NOT new.project OR old.team_id IS NOT new.team_id
BEGIN
  INSERT INTO session_rollups (grain, span, project, team_id, bucket, source, workflow_pattern, success_score, sessions)
  SELECT grain, span, IIF(keeps_project, COALESCE(old.project, ''), ''), IIF(keeps_team, COALESCE(old.team_id, ''), ''),
         old.started_at / bucket_ms * bucket_ms, old.source, old.workflow_pattern, old.success_score, -1
    FROM session_rollup_shapes WHERE (grain <> 'project' OR old.project IS NOT NULL) AND (grain <> 'team' OR old.team_id IS NOT NULL)
  ON CONFLICT DO UPDATE SET sessions = sessions + excluded.sessions;
  INSERT INTO session_rollups (grain, span, project, team_id, bucket, source, workflow_pattern, success_score, sessions)
  SELECT grain, span, IIF(keeps_project, COALESCE(new.project, ''), ''), IIF(keeps_team, COALESCE(new.team_id, ''), ''),
         new.started_at / bucket_ms * bucket_ms, new.source, new.workflow_pattern, new.success_score, 1
    FROM session_rollup_shapes WHERE (grain <> 'project' OR new.project IS NOT NULL) AND (grain <> 'team' OR new.team_id IS NOT NULL)
  ON CONFLICT DO UPDATE SET sessions = sessions + excluded.sessions;
  -- The session's subagent types move with it (their own trigger moves their counts).
  UPDATE session_subagents SET started_at = new.started_at, source = new.source, project = new.project, team_id = new.team_id
   WHERE session_id = new.session_id
     AND (old.started_at / 3600000 <> new.started_at / 3600000 OR old.source <> new.source
          OR old.project IS NOT new.project OR old.team_id IS NOT new.team_id);
END;

-- A Task call counts its session for its subagent type once it completed (a call's status
-- never goes back to running, and its type is only ever filled in).
CREATE TRIGGER tool_uses_subagent_insert AFTER INSERT ON tool_uses
  WHEN new.subagent_type IS NOT NULL AND new.status <> 'running'
BEGIN
  INSERT INTO session_subagents (session_id, subagent_type, started_at, source, project, team_id)
  SELECT session_id, new.subagent_type, started_at, source, project, team_id FROM sessions WHERE session_id = new.session_id
  ON CONFLICT DO NOTHING;
END;
CREATE TRIGGER tool_uses_subagent_update AFTER UPDATE ON tool_uses
  WHEN new.subagent_type IS NOT NULL AND new.status <> 'running'
   AND (old.subagent_type IS NOT new.subagent_type OR old.status = 'running')
BEGIN
  INSERT INTO session_subagents (session_id, subagent_type, started_at, source, project, team_id)
  SELECT session_id, new.subagent_type, started_at, source, project, team_id FROM sessions WHERE session_id = new.session_id
  ON CONFLICT DO NOTHING;
  DELETE FROM session_subagents
   WHERE session_id = old.session_id AND subagent_type = old.subagent_type AND old.subagent_type <> new.subagent_type
     AND NOT EXISTS (SELECT 1 FROM tool_uses WHERE subagent_type = old.subagent_type AND session_id = old.session_id AND status <> 'running');
END;
CREATE TRIGGER tool_uses_subagent_delete AFTER DELETE ON tool_uses
  WHEN old.subagent_type IS NOT NULL AND old.status <> 'running'
BEGIN
  DELETE FROM session_subagents
   WHERE session_id = old.session_id AND subagent_type = old.subagent_type
     AND NOT EXISTS (SELECT 1 FROM tool_uses WHERE subagent_type = old.subagent_type AND session_id = old.session_id AND status <> 'running');
END;

CREATE TRIGGER session_subagents_rollup_insert AFTER INSERT ON session_subagents BEGIN
  INSERT INTO subagent_session_rollups (grain, span, project, team_id, bucket, source, subagent_type, sessions)
  SELECT grain, span, IIF(keeps_project, COALESCE(new.project, ''), ''), IIF(keeps_team, COALESCE(new.team_id, ''), ''),
         new.started_at / bucket_ms * bucket_ms, new.source, new.subagent_type, 1
    FROM session_rollup_shapes WHERE (grain <> 'project' OR new.project IS NOT NULL) AND (grain <> 'team' OR new.team_id IS NOT NULL)
  ON CONFLICT DO UPDATE SET sessions = sessions + excluded.sessions;
END;
CREATE TRIGGER session_subagents_rollup_delete AFTER DELETE ON session_subagents BEGIN
  INSERT INTO subagent_session_rollups (grain, span, project, team_id, bucket, source, subagent_type, sessions)
  SELECT grain, span, IIF(keeps_project, COALESCE(old.project, ''), ''), IIF(keeps_team, COALESCE(old.team_id, ''), ''),
         old.started_at / bucket_ms * bucket_ms, old.source, old.subagent_type, -1
    FROM session_rollup_shapes WHERE (grain <> 'project' OR old.project IS NOT NULL) AND (grain <> 'team' OR old.team_id IS NOT NULL)
  ON CONFLICT DO UPDATE SET sessions = sessions + excluded.sessions;
END;
CREATE TRIGGER session_subagents_rollup_update AFTER UPDATE ON session_subagents BEGIN
  INSERT INTO subagent_session_rollups (grain, span, project, team_id, bucket, source, subagent_type, sessions)
  SELECT grain, span, IIF(keeps_project, COALESCE(old.project, ''), ''), IIF(keeps_team, COALESCE(old.team_id, ''), ''),
         old.started_at / bucket_ms * bucket_ms, old.source, old.subagent_type, -1
    FROM session_rollup_shapes WHERE (grain <> 'project' OR old.project IS NOT NULL) AND (grain <> 'team' OR old.team_id IS NOT NULL)
  ON CONFLICT DO UPDATE SET sessions = sessions + excluded.sessions;
  INSERT INTO subagent_session_rollups (grain, span, project, team_id, bucket, source, subagent_type, sessions)
  SELECT grain, span, IIF(keeps_project, COALESCE(new.project, ''), ''), IIF(keeps_team, COALESCE(new.team_id, ''), ''),
         new.started_at / bucket_ms * bucket_ms, new.source, new.subagent_type, 1
    FROM session_rollup_shapes WHERE (grain <> 'project' OR new.project IS NOT NULL) AND (grain <> 'team' OR new.team_id IS NOT NULL)
  ON CONFLICT DO UPDATE SET sessions = sessions + excluded.sessions;
END;

-- Fill from what is there; the triggers above count each row as it goes in.
INSERT INTO session_rollups (grain, span, project, team_id, bucket, source, workflow_pattern, success_score, sessions)
SELECT grain, span, IIF(keeps_project, COALESCE(s.project, ''), ''), IIF(keeps_team, COALESCE(s.team_id, ''), ''),
       s.started_at / bucket_ms * bucket_ms, s.source, s.workflow_pattern, s.success_score, count(*)
  FROM sessions s, session_rollup_shapes WHERE (grain <> 'project' OR s.project IS NOT NULL) AND (grain <> 'team' OR s.team_id IS NOT NULL)
 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
INSERT INTO session_subagents (session_id, subagent_type, started_at, source, project, team_id)
SELECT DISTINCT s.session_id, t.subagent_type, s.started_at, s.source, s.project, s.team_id
  FROM tool_uses t JOIN sessions s ON s.session_id = t.session_id
 WHERE t.subagent_type IS NOT NULL AND t.status <> 'running';
