-- Removes what 0018_agent_events.up.sql added.
DROP TABLE session_agents;
ALTER TABLE tool_uses DROP COLUMN agent_run_id;
ALTER TABLE tool_uses DROP COLUMN agent_model;
ALTER TABLE tool_uses DROP COLUMN agent_cache_creation_tokens;
ALTER TABLE tool_uses DROP COLUMN agent_cache_read_tokens;
ALTER TABLE tool_uses DROP COLUMN agent_output_tokens;
ALTER TABLE tool_uses DROP COLUMN agent_input_tokens;
ALTER TABLE tool_uses DROP COLUMN agent_total_tokens;
ALTER TABLE tool_uses DROP COLUMN prompt_id;
ALTER TABLE sessions DROP COLUMN error_changed_at;
ALTER TABLE sessions DROP COLUMN error_message;
ALTER TABLE sessions DROP COLUMN error_kind;
ALTER TABLE sessions DROP COLUMN stop_failures;
ALTER TABLE sessions DROP COLUMN permission_denials;
