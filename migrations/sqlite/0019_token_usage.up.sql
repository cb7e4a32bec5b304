-- What each session cost: the tokens of every model request, from the agents' own
-- telemetry or their transcripts (one row per request id, telemetry replacing a
-- transcript's figures), or windows of their usage metrics; and the session's totals.
CREATE TABLE token_usage (
  session_id            TEXT    NOT NULL,
  usage_key             TEXT    NOT NULL,
  origin                TEXT    NOT NULL,
  prompt_id             TEXT,
  model                 TEXT,
  ts                    INTEGER NOT NULL,
  input_tokens          INTEGER NOT NULL DEFAULT 0,
  output_tokens         INTEGER NOT NULL DEFAULT 0,
  cache_read_tokens     INTEGER NOT NULL DEFAULT 0,
  cache_creation_tokens INTEGER NOT NULL DEFAULT 0,
  cost_usd              REAL,
  cost_source           TEXT    NOT NULL CHECK (cost_source IN ('reported', 'priced', 'unknown')),
  -- 1: the row counts in its session's totals and in /analytics/cost (usage-sql.ts says when).
  counted               INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (session_id, usage_key)
);
CREATE INDEX token_usage_ts_idx ON token_usage (ts) WHERE counted = 1;

ALTER TABLE sessions ADD COLUMN input_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN output_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN cache_read_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN cache_creation_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN cost_usd REAL NOT NULL DEFAULT 0;
-- Tokens of models hookd has no price for: their cost is not in cost_usd.
ALTER TABLE sessions ADD COLUMN unpriced_tokens INTEGER NOT NULL DEFAULT 0;
