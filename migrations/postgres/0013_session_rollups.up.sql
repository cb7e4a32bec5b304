-- Figures over sessions (workflow patterns, success scores, sessions per subagent type)
-- from rollups the database keeps itself, so a read sums rows per hour or day of the
-- range asked for, never every session ever stored. Triggers keep them: every path that
-- writes sessions or tool_uses (passes, rebuilds, deletes, the stale sweep) moves a
-- session's count from its old key to its new one in the same transaction.

-- The pattern and score rules, once: the view, the rollups and their triggers read these.
-- The rules are documented in docs/data-model.md.
ALTER TABLE sessions ADD COLUMN workflow_pattern text GENERATED ALWAYS AS (
  CASE
    WHEN tool_calls = 0 THEN 'chat'
    WHEN delegate_calls >= 3 OR delegate_calls * 4 >= tool_calls THEN 'delegating'
    WHEN research_calls * 4 >= tool_calls THEN 'research'
    WHEN edit_calls > 0 AND test_runs >= 2 THEN 'edit-test loop'
    WHEN edit_calls > 0 THEN 'editing'
    WHEN explore_calls * 2 >= tool_calls THEN 'explore'
    ELSE 'mixed'
  END) STORED;
ALTER TABLE sessions ADD COLUMN success_score bigint GENERATED ALWAYS AS (
  CASE WHEN (tools_succeeded + tools_failed) = 0 THEN 70 ELSE (140 * tools_succeeded + (tools_succeeded + tools_failed)) / (2 * (tools_succeeded + tools_failed)) END
    + CASE WHEN ended_at IS NOT NULL AND COALESCE(end_reason, '') <> 'stale' THEN 20 ELSE 0 END
    + CASE WHEN tools_succeeded > 0 THEN 10 ELSE 0 END) STORED;

CREATE OR REPLACE VIEW session_intelligence_summary AS
SELECT session_id, source, project, team_id, "user", host, model,
       started_at AS session_start, ended_at AS session_end, end_reason, last_activity_at,
       (extract(epoch FROM COALESCE(ended_at, last_activity_at) - started_at) * 1000)::bigint AS duration_ms,
       events AS total_events, prompts, tool_calls, tools_succeeded AS successful_tools, tools_failed AS failed_tools,
       CASE WHEN (tools_succeeded + tools_failed) > 0 THEN round(((2000 * tools_succeeded + (tools_succeeded + tools_failed)) / (2 * (tools_succeeded + tools_failed)))::numeric / 10, 1) END AS success_rate_pct,
       subagents AS subagents_used, explore_calls, edit_calls, test_runs, delegate_calls, research_calls,
       workflow_pattern, success_score
  FROM sessions;

-- Sessions per start bucket (the start's hour and UTC day), source, workflow pattern and
-- success score, at four grains. Every row keeps the source (scores are reported per
-- source); 'project' and 'team' keep that dimension ('' for the other) and exist only
-- when the session has it; 'full' keeps both ('' where the session has none).
CREATE TABLE session_rollups (
  grain            text        NOT NULL,
  span             text        NOT NULL,
  project          text        NOT NULL,
  team_id          text        NOT NULL,
  bucket           timestamptz NOT NULL,
  source           text        NOT NULL,
  workflow_pattern text        NOT NULL,
  success_score    integer     NOT NULL,
  sessions         bigint      NOT NULL,
  PRIMARY KEY (grain, span, project, team_id, bucket, source, workflow_pattern, success_score)
);

-- Which subagent types a session completed Task calls of, with the session's start and
-- dimensions (moved with the session's), and sessions per type in the same keys.
CREATE TABLE session_subagents (
  session_id    text        NOT NULL,
  subagent_type text        NOT NULL,
  started_at    timestamptz NOT NULL,
  source        text        NOT NULL,
  project       text,
  team_id       text,
  PRIMARY KEY (session_id, subagent_type)
);
CREATE TABLE subagent_session_rollups (
  grain         text        NOT NULL,
  span          text        NOT NULL,
  project       text        NOT NULL,
  team_id       text        NOT NULL,
  bucket        timestamptz NOT NULL,
  source        text        NOT NULL,
  subagent_type text        NOT NULL,
  sessions      bigint      NOT NULL,
  PRIMARY KEY (grain, span, project, team_id, bucket, source, subagent_type)
);

-- The keys a session counts under, for `key` (pattern and score, or subagent type): its
-- start's hour and day at each grain it has. `sign` +1 adds it, -1 takes it away. Rows go
-- in key order, so concurrent passes lock them in one sequence.
CREATE FUNCTION add_session_rollups(sign integer[], source text[], project text[], team_id text[], started_at timestamptz[],
                                    workflow_pattern text[], success_score bigint[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO session_rollups (grain, span, project, team_id, bucket, source, workflow_pattern, success_score, sessions)
  SELECT g.grain, s.span, g.project, g.team_id, date_trunc(s.span, d.started_at, 'UTC'), d.source, d.workflow_pattern, d.success_score, sum(d.sign)
    FROM unnest(sign, source, project, team_id, started_at, workflow_pattern, success_score)
           AS d(sign, source, project, team_id, started_at, workflow_pattern, success_score)
   CROSS JOIN (VALUES ('hour'), ('day')) AS s(span)
   CROSS JOIN LATERAL (VALUES ('all', '', ''), ('project', d.project, ''), ('team', '', d.team_id),
                              ('full', COALESCE(d.project, ''), COALESCE(d.team_id, ''))) AS g(grain, project, team_id)
   WHERE g.project IS NOT NULL AND g.team_id IS NOT NULL
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(d.sign) <> 0
   ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
  ON CONFLICT (grain, span, project, team_id, bucket, source, workflow_pattern, success_score)
  DO UPDATE SET sessions = session_rollups.sessions + excluded.sessions
$$;
CREATE FUNCTION add_subagent_session_rollups(p_sign integer, p_source text, p_project text, p_team_id text, p_started_at timestamptz,
                                             p_subagent_type text) RETURNS void LANGUAGE sql AS $$
  INSERT INTO subagent_session_rollups (grain, span, project, team_id, bucket, source, subagent_type, sessions)
  SELECT g.grain, s.span, g.project, g.team_id, date_trunc(s.span, p_started_at, 'UTC'), p_source, p_subagent_type, p_sign
    FROM (VALUES ('hour'), ('day')) AS s(span)
   CROSS JOIN (VALUES ('all', '', ''), ('project', p_project, ''), ('team', '', p_team_id),
                      ('full', COALESCE(p_project, ''), COALESCE(p_team_id, ''))) AS g(grain, project, team_id)
   WHERE g.project IS NOT NULL AND g.team_id IS NOT NULL
   ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (grain, span, project, team_id, bucket, source, subagent_type)
  DO UPDATE SET sessions = subagent_session_rollups.sessions + excluded.sessions
$$;

-- Sessions: once per statement, over its transition tables (a pass writes many sessions in
-- one statement). PostgreSQL takes one event per trigger with transition tables: three.
CREATE FUNCTION sessions_rollup_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM add_session_rollups(array_agg(1), array_agg(source), array_agg(project), array_agg(team_id), array_agg(started_at),
                              array_agg(workflow_pattern), array_agg(success_score)) FROM new_rows;
  RETURN NULL;
END $$;
CREATE FUNCTION sessions_rollup_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM add_session_rollups(array_agg(-1), array_agg(source), array_agg(project), array_agg(team_id), array_agg(started_at),
                              array_agg(workflow_pattern), array_agg(success_score)) FROM old_rows;
  RETURN NULL;
END $$;
CREATE FUNCTION sessions_rollup_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM add_session_rollups(array_agg(d.sign), array_agg(d.source), array_agg(d.project), array_agg(d.team_id), array_agg(d.started_at),
                              array_agg(d.workflow_pattern), array_agg(d.success_score))
     FROM old_rows o JOIN new_rows n USING (session_id)
    CROSS JOIN LATERAL (VALUES (-1, o.source, o.project, o.team_id, o.started_at, o.workflow_pattern, o.success_score),
                               (1, n.source, n.project, n.team_id, n.started_at, n.workflow_pattern, n.success_score))
                 AS d(sign, source, project, team_id, started_at, workflow_pattern, success_score)
    WHERE (o.workflow_pattern, o.success_score, date_trunc('hour', o.started_at, 'UTC'), o.source, o.project, o.team_id)
          IS DISTINCT FROM (n.workflow_pattern, n.success_score, date_trunc('hour', n.started_at, 'UTC'), n.source, n.project, n.team_id);
  -- The session's subagent types move with it (their own trigger moves their counts).
  UPDATE session_subagents ss SET started_at = n.started_at, source = n.source, project = n.project, team_id = n.team_id
    FROM old_rows o JOIN new_rows n USING (session_id)
   WHERE ss.session_id = n.session_id
     AND (date_trunc('hour', o.started_at, 'UTC'), o.source, o.project, o.team_id)
         IS DISTINCT FROM (date_trunc('hour', n.started_at, 'UTC'), n.source, n.project, n.team_id);
  RETURN NULL;
END $$;
CREATE TRIGGER sessions_rollup_insert AFTER INSERT ON sessions REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION sessions_rollup_insert();
CREATE TRIGGER sessions_rollup_delete AFTER DELETE ON sessions REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION sessions_rollup_delete();
CREATE TRIGGER sessions_rollup_update AFTER UPDATE ON sessions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION sessions_rollup_update();

-- A Task call counts its session for its subagent type once it completed (a call's status
-- never goes back to running, and its type is only ever filled in). Few rows: per row.
CREATE FUNCTION tool_uses_subagent_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO session_subagents (session_id, subagent_type, started_at, source, project, team_id)
  SELECT session_id, NEW.subagent_type, started_at, source, project, team_id FROM sessions WHERE session_id = NEW.session_id
  ON CONFLICT DO NOTHING;
  IF TG_OP = 'UPDATE' AND OLD.subagent_type IS NOT NULL AND OLD.subagent_type <> NEW.subagent_type THEN
    DELETE FROM session_subagents
     WHERE session_id = OLD.session_id AND subagent_type = OLD.subagent_type
       AND NOT EXISTS (SELECT 1 FROM tool_uses WHERE subagent_type = OLD.subagent_type AND session_id = OLD.session_id AND status <> 'running');
  END IF;
  RETURN NULL;
END $$;
CREATE FUNCTION tool_uses_subagent_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM session_subagents
   WHERE session_id = OLD.session_id AND subagent_type = OLD.subagent_type
     AND NOT EXISTS (SELECT 1 FROM tool_uses WHERE subagent_type = OLD.subagent_type AND session_id = OLD.session_id AND status <> 'running');
  RETURN NULL;
END $$;
CREATE TRIGGER tool_uses_subagent_insert AFTER INSERT ON tool_uses FOR EACH ROW
  WHEN (NEW.subagent_type IS NOT NULL AND NEW.status <> 'running') EXECUTE FUNCTION tool_uses_subagent_counted();
CREATE TRIGGER tool_uses_subagent_update AFTER UPDATE ON tool_uses FOR EACH ROW
  WHEN (NEW.subagent_type IS NOT NULL AND NEW.status <> 'running' AND (OLD.subagent_type IS DISTINCT FROM NEW.subagent_type OR OLD.status = 'running'))
  EXECUTE FUNCTION tool_uses_subagent_counted();
CREATE TRIGGER tool_uses_subagent_delete AFTER DELETE ON tool_uses FOR EACH ROW
  WHEN (OLD.subagent_type IS NOT NULL AND OLD.status <> 'running') EXECUTE FUNCTION tool_uses_subagent_removed();

CREATE FUNCTION session_subagents_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM add_subagent_session_rollups(-1, OLD.source, OLD.project, OLD.team_id, OLD.started_at, OLD.subagent_type);
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    PERFORM add_subagent_session_rollups(1, NEW.source, NEW.project, NEW.team_id, NEW.started_at, NEW.subagent_type);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER session_subagents_rollup AFTER INSERT OR UPDATE OR DELETE ON session_subagents FOR EACH ROW
  EXECUTE FUNCTION session_subagents_rollup();

-- Fill from what is there; the subagent rows count themselves through their trigger.
SELECT add_session_rollups(array_agg(1), array_agg(source), array_agg(project), array_agg(team_id), array_agg(started_at),
                           array_agg(workflow_pattern), array_agg(success_score)) FROM sessions;
INSERT INTO session_subagents (session_id, subagent_type, started_at, source, project, team_id)
SELECT DISTINCT s.session_id, t.subagent_type, s.started_at, s.source, s.project, s.team_id
  FROM tool_uses t JOIN sessions s ON s.session_id = t.session_id
 WHERE t.subagent_type IS NOT NULL AND t.status <> 'running';
