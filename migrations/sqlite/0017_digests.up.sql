-- Notifications, part 2: digests, quiet hours and stale prompts. A notification now starts
-- `new` (batching has not looked at it yet); batching makes it `pending` (goes now), `held`
-- (waits for its digest window or for quiet hours to end, until next_attempt_at) or, once
-- its group is released, `digested` into a digest notification of its own (digest_id names
-- it). `stale`: a permission or input prompt already too old when its rule fired, not sent.
-- SQLite cannot change a CHECK constraint in place: the table is rebuilt.
CREATE TABLE notifications_new (
  notification_id TEXT    PRIMARY KEY,
  execution_id    TEXT,
  team_id         TEXT,
  session_id      TEXT,
  event_id        TEXT,
  event_type      TEXT,
  channel_id      TEXT    NOT NULL,
  kind            TEXT    NOT NULL,
  priority        TEXT    NOT NULL CHECK (priority IN ('normal', 'critical')),
  status          TEXT    NOT NULL CHECK (status IN ('new', 'pending', 'held', 'digested', 'sending', 'failed', 'sent', 'dead', 'stale')),
  retry_count     INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  claimed_until   INTEGER,
  claimed_by      TEXT,
  message         TEXT    NOT NULL,
  error           TEXT,
  status_code     INTEGER,
  event_at        INTEGER NOT NULL,
  created_at      INTEGER NOT NULL,
  expires_at      INTEGER NOT NULL,
  sent_at         INTEGER,
  updated_at      INTEGER NOT NULL,
  held_reason     TEXT    CHECK (held_reason IN ('digest', 'quiet_hours')),
  opens_window    INTEGER NOT NULL DEFAULT 0,
  digest_id       TEXT,
  digest_size     INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
INSERT INTO notifications_new (notification_id, execution_id, team_id, session_id, event_id, event_type, channel_id, kind, priority,
  status, retry_count, next_attempt_at, claimed_until, claimed_by, message, error, status_code, event_at, created_at, expires_at,
  sent_at, updated_at)
SELECT notification_id, execution_id, team_id, session_id, event_id, event_type, channel_id, kind, priority,
  status, retry_count, next_attempt_at, claimed_until, claimed_by, message, error, status_code, event_at, created_at, expires_at,
  sent_at, updated_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_due_idx ON notifications (next_attempt_at, notification_id) WHERE status IN ('pending', 'failed', 'sending');
CREATE INDEX notifications_created_idx ON notifications (created_at, notification_id);
CREATE INDEX notifications_team_idx ON notifications (team_id, created_at);
CREATE INDEX notifications_session_idx ON notifications (session_id, created_at);
CREATE INDEX notifications_execution_idx ON notifications (execution_id) WHERE execution_id IS NOT NULL;
CREATE INDEX notifications_channel_idx ON notifications (channel_id, status);
CREATE INDEX notifications_dead_idx ON notifications (created_at) WHERE status = 'dead';
-- What batching has still to look at, and the held groups it releases.
CREATE INDEX notifications_new_idx ON notifications (created_at, notification_id) WHERE status = 'new';
CREATE INDEX notifications_held_idx ON notifications (team_id, channel_id, kind, next_attempt_at) WHERE status = 'held';
-- The last notification that went at once for a (team, channel, kind): it opened the digest window.
CREATE INDEX notifications_window_idx ON notifications (channel_id, kind, team_id, created_at) WHERE opens_window = 1;
CREATE INDEX notifications_digest_idx ON notifications (digest_id) WHERE digest_id IS NOT NULL;
