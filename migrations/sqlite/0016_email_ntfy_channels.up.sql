-- Notifications, part 2: email (SMTP) and ntfy channels. SQLite cannot change a CHECK
-- constraint in place, so channels is built again with the wider kind list; rows, their
-- sealed values and the index are kept. Nothing references channels by foreign key.
CREATE TABLE channels_new (
  channel_id     TEXT    PRIMARY KEY,
  team_id        TEXT,
  kind           TEXT    NOT NULL CHECK (kind IN ('webhook', 'slack', 'discord', 'email', 'ntfy')),
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
INSERT INTO channels_new (channel_id, team_id, kind, name, url_sealed, url_hint, secret_sealed, paused, paused_reason,
                          paused_at, failure_streak, next_send_at, created_at, updated_at)
  SELECT channel_id, team_id, kind, name, url_sealed, url_hint, secret_sealed, paused, paused_reason,
         paused_at, failure_streak, next_send_at, created_at, updated_at
  FROM channels;
DROP TABLE channels;
ALTER TABLE channels_new RENAME TO channels;
CREATE INDEX channels_team_idx ON channels (team_id, channel_id);
