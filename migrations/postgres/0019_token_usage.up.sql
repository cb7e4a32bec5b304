-- What each session cost: the tokens of every model request, from the agents' own
-- telemetry or their transcripts (one row per request id, telemetry replacing a
-- transcript's figures), or windows of their usage metrics; and the session's totals.
CREATE TABLE token_usage (
  session_id            text             NOT NULL,
  usage_key             text             NOT NULL,
  origin                text             NOT NULL,
  prompt_id             text,
  model                 text,
  ts                    timestamptz      NOT NULL,
  input_tokens          bigint           NOT NULL DEFAULT 0,
  output_tokens         bigint           NOT NULL DEFAULT 0,
  cache_read_tokens     bigint           NOT NULL DEFAULT 0,
  cache_creation_tokens bigint           NOT NULL DEFAULT 0,
  cost_usd              double precision,
  cost_source           text             NOT NULL CHECK (cost_source IN ('reported', 'priced', 'unknown')),
  -- 1: the row counts in its session's totals and in /analytics/cost (usage-sql.ts says when).
  counted               smallint         NOT NULL DEFAULT 0,
  PRIMARY KEY (session_id, usage_key)
);
CREATE INDEX token_usage_ts_idx ON token_usage (ts) WHERE counted = 1;

ALTER TABLE sessions
  ADD COLUMN input_tokens          bigint           NOT NULL DEFAULT 0,
  ADD COLUMN output_tokens         bigint           NOT NULL DEFAULT 0,
  ADD COLUMN cache_read_tokens     bigint           NOT NULL DEFAULT 0,
  ADD COLUMN cache_creation_tokens bigint           NOT NULL DEFAULT 0,
  ADD COLUMN cost_usd              double precision NOT NULL DEFAULT 0,
  -- Tokens of models hookd has no price for: their cost is not in cost_usd.
  ADD COLUMN unpriced_tokens       bigint           NOT NULL DEFAULT 0;
