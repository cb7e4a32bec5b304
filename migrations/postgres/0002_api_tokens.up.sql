CREATE TABLE api_tokens (
  id           text        PRIMARY KEY,
  name         text,
  token_hash   text        NOT NULL UNIQUE,
  scopes       text        NOT NULL,
  team_id      text,
  session_id   text,
  created_at   timestamptz NOT NULL,
  revoked_at   timestamptz
);
