-- Removes what 0018_agent_events.up.sql added.
DROP TABLE session_agents;
ALTER TABLE tool_uses
  DROP COLUMN prompt_id, DROP COLUMN agent_total_tokens, DROP COLUMN agent_input_tokens, DROP COLUMN agent_output_tokens,
  DROP COLUMN agent_cache_read_tokens, DROP COLUMN agent_cache_creation_tokens, DROP COLUMN agent_model, DROP COLUMN agent_run_id;
ALTER TABLE sessions
  DROP COLUMN permission_denials, DROP COLUMN stop_failures, DROP COLUMN error_kind, DROP COLUMN error_message,
  DROP COLUMN error_changed_at;
