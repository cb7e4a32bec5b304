CREATE TABLE api_tokens (
  id           TEXT    PRIMARY KEY,
  name         TEXT,
  token_hash   TEXT    NOT NULL UNIQUE,
  scopes       TEXT    NOT NULL,
  team_id      TEXT,
  session_id   TEXT,
  created_at   INTEGER NOT NULL,
  revoked_at   INTEGER
);
