-- Every agent, every event: what the newer hook events say about a session. A turn that
-- ended in an API error (StopFailure) leaves its kind until the next prompt; calls the auto
-- mode denied are counted; tool calls know the prompt (or Codex turn) that caused them, and
-- an Agent/Task call the tokens and model of the subagent it ran.
ALTER TABLE sessions
  ADD COLUMN permission_denials bigint NOT NULL DEFAULT 0,
  ADD COLUMN stop_failures      bigint NOT NULL DEFAULT 0,
  ADD COLUMN error_kind         text,
  ADD COLUMN error_message      text,
  ADD COLUMN error_changed_at   timestamptz;

ALTER TABLE tool_uses
  ADD COLUMN prompt_id                   text,
  ADD COLUMN agent_total_tokens          bigint,
  ADD COLUMN agent_input_tokens          bigint,
  ADD COLUMN agent_output_tokens         bigint,
  ADD COLUMN agent_cache_read_tokens     bigint,
  ADD COLUMN agent_cache_creation_tokens bigint,
  ADD COLUMN agent_model                 text,
  ADD COLUMN agent_run_id                text;

-- A session's subagents, one row each: the session page draws them as a tree, each under
-- the Agent/Task call that started it. Removed with its session.
CREATE TABLE session_agents (
  session_id    text        NOT NULL,
  agent_id      text        NOT NULL,
  agent_type    text,
  started_at    timestamptz,
  ended_at      timestamptz,
  first_seen_at timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  PRIMARY KEY (session_id, agent_id)
);
