-- Removes what 0019_token_usage.up.sql added.
ALTER TABLE sessions
  DROP COLUMN input_tokens, DROP COLUMN output_tokens, DROP COLUMN cache_read_tokens,
  DROP COLUMN cache_creation_tokens, DROP COLUMN cost_usd, DROP COLUMN unpriced_tokens;
DROP TABLE token_usage;
