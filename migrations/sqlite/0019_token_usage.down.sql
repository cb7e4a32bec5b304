-- Removes what 0019_token_usage.up.sql added.
ALTER TABLE sessions DROP COLUMN unpriced_tokens;
ALTER TABLE sessions DROP COLUMN cost_usd;
ALTER TABLE sessions DROP COLUMN cache_creation_tokens;
ALTER TABLE sessions DROP COLUMN cache_read_tokens;
ALTER TABLE sessions DROP COLUMN output_tokens;
ALTER TABLE sessions DROP COLUMN input_tokens;
DROP TABLE token_usage;
