-- Every agent, every event: what the newer hook events say about a session. A turn that
-- ended in an API error (StopFailure) leaves its kind until the next prompt; calls the auto
-- mode denied are counted; tool calls know the prompt (or Codex turn) that caused them, and
-- an Agent/Task call the tokens and model of the subagent it ran.
ALTER TABLE sessions ADD COLUMN permission_denials INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN stop_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN error_kind TEXT;
ALTER TABLE sessions ADD COLUMN error_message TEXT;
ALTER TABLE sessions ADD COLUMN error_changed_at INTEGER;

ALTER TABLE tool_uses ADD COLUMN prompt_id TEXT;
ALTER TABLE tool_uses ADD COLUMN agent_total_tokens INTEGER;
ALTER TABLE tool_uses ADD COLUMN agent_input_tokens INTEGER;
ALTER TABLE tool_uses ADD COLUMN agent_output_tokens INTEGER;
ALTER TABLE tool_uses ADD COLUMN agent_cache_read_tokens INTEGER;
ALTER TABLE tool_uses ADD COLUMN agent_cache_creation_tokens INTEGER;
ALTER TABLE tool_uses ADD COLUMN agent_model TEXT;
ALTER TABLE tool_uses ADD COLUMN agent_run_id TEXT;

-- A session's subagents, one row each: the session page draws them as a tree, each under
-- the Agent/Task call that started it. Removed with its session.
CREATE TABLE session_agents (
  session_id    TEXT    NOT NULL,
  agent_id      TEXT    NOT NULL,
  agent_type    TEXT,
  started_at    INTEGER,
  ended_at      INTEGER,
  first_seen_at INTEGER NOT NULL,
  last_seen_at  INTEGER NOT NULL,
  PRIMARY KEY (session_id, agent_id)
);
