-- Removes exactly what 0013_session_rollups.up.sql created.
DROP TRIGGER session_subagents_rollup ON session_subagents;
DROP TRIGGER tool_uses_subagent_delete ON tool_uses;
DROP TRIGGER tool_uses_subagent_update ON tool_uses;
DROP TRIGGER tool_uses_subagent_insert ON tool_uses;
DROP TRIGGER sessions_rollup_update ON sessions;
DROP TRIGGER sessions_rollup_delete ON sessions;
DROP TRIGGER sessions_rollup_insert ON sessions;
DROP FUNCTION session_subagents_rollup();
DROP FUNCTION tool_uses_subagent_removed();
DROP FUNCTION tool_uses_subagent_counted();
DROP FUNCTION sessions_rollup_update();
DROP FUNCTION sessions_rollup_delete();
DROP FUNCTION sessions_rollup_insert();
DROP FUNCTION add_subagent_session_rollups(integer, text, text, text, timestamptz, text);
DROP FUNCTION add_session_rollups(integer[], text[], text[], text[], timestamptz[], text[], bigint[]);
DROP TABLE subagent_session_rollups;
DROP TABLE session_subagents;
DROP TABLE session_rollups;
CREATE OR REPLACE VIEW session_intelligence_summary AS
SELECT session_id, source, project, team_id, "user", host, model,
       started_at AS session_start, ended_at AS session_end, end_reason, last_activity_at,
       (extract(epoch FROM COALESCE(ended_at, last_activity_at) - started_at) * 1000)::bigint AS duration_ms,
       events AS total_events, prompts, tool_calls, tools_succeeded AS successful_tools, tools_failed AS failed_tools,
       CASE WHEN (tools_succeeded + tools_failed) > 0 THEN round(((2000 * tools_succeeded + (tools_succeeded + tools_failed)) / (2 * (tools_succeeded + tools_failed)))::numeric / 10, 1) END AS success_rate_pct,
       subagents AS subagents_used, explore_calls, edit_calls, test_runs, delegate_calls, research_calls,
       CASE
           WHEN tool_calls = 0 THEN 'chat'
           WHEN delegate_calls >= 3 OR delegate_calls * 4 >= tool_calls THEN 'delegating'
           WHEN research_calls * 4 >= tool_calls THEN 'research'
           WHEN edit_calls > 0 AND test_runs >= 2 THEN 'edit-test loop'
           WHEN edit_calls > 0 THEN 'editing'
           WHEN explore_calls * 2 >= tool_calls THEN 'explore'
           ELSE 'mixed'
         END AS workflow_pattern,
       CASE WHEN (tools_succeeded + tools_failed) = 0 THEN 70 ELSE (140 * tools_succeeded + (tools_succeeded + tools_failed)) / (2 * (tools_succeeded + tools_failed)) END
         + CASE WHEN ended_at IS NOT NULL AND COALESCE(end_reason, '') <> 'stale' THEN 20 ELSE 0 END
         + CASE WHEN tools_succeeded > 0 THEN 10 ELSE 0 END AS success_score
  FROM sessions;
ALTER TABLE sessions DROP COLUMN success_score;
ALTER TABLE sessions DROP COLUMN workflow_pattern;
