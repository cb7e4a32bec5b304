-- Back to webhook, slack and discord only. Email and ntfy channels cannot be kept under
-- the narrower CHECK, so they are removed; their notifications stay, for the record, and
-- the outbox's expiry sets those still waiting dead (their channel is gone).
CREATE TABLE channels_prev (
  channel_id     TEXT    PRIMARY KEY,
  team_id        TEXT,
  kind           TEXT    NOT NULL CHECK (kind IN ('webhook', 'slack', 'discord')),
  name           TEXT,
  url_sealed     TEXT    NOT NULL,
  url_hint       TEXT    NOT NULL,
  secret_sealed  TEXT,
  paused         INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
  paused_reason  TEXT,
  paused_at      INTEGER,
  failure_streak INTEGER NOT NULL DEFAULT 0,
  next_send_at   INTEGER NOT NULL DEFAULT 0,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO channels_prev (channel_id, team_id, kind, name, url_sealed, url_hint, secret_sealed, paused, paused_reason,
                           paused_at, failure_streak, next_send_at, created_at, updated_at)
  SELECT channel_id, team_id, kind, name, url_sealed, url_hint, secret_sealed, paused, paused_reason,
         paused_at, failure_streak, next_send_at, created_at, updated_at
  FROM channels WHERE kind IN ('webhook', 'slack', 'discord');
DROP TABLE channels;
ALTER TABLE channels_prev RENAME TO channels;
CREATE INDEX channels_team_idx ON channels (team_id, channel_id);
