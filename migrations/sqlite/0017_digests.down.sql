-- Removes what 0017_digests.up.sql added. Rows of the new statuses cannot be kept under the
-- old CHECK: a digest's members become what their digest became, the rest waits as pending.
UPDATE notifications SET status = COALESCE((SELECT d.status FROM notifications d WHERE d.notification_id = notifications.digest_id
    AND d.status IN ('sent', 'dead')), 'dead'), error = COALESCE(error, 'sent in a digest')
  WHERE status = 'digested';
UPDATE notifications SET status = 'pending' WHERE status IN ('new', 'held');
UPDATE notifications SET status = 'dead' WHERE status = 'stale';
CREATE TABLE notifications_old (
  notification_id TEXT    PRIMARY KEY,
  execution_id    TEXT,
  team_id         TEXT,
  session_id      TEXT,
  event_id        TEXT,
  event_type      TEXT,
  channel_id      TEXT    NOT NULL,
  kind            TEXT    NOT NULL,
  priority        TEXT    NOT NULL CHECK (priority IN ('normal', 'critical')),
  status          TEXT    NOT NULL CHECK (status IN ('pending', 'sending', 'failed', 'sent', 'dead')),
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
  updated_at      INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO notifications_old SELECT notification_id, execution_id, team_id, session_id, event_id, event_type, channel_id, kind,
  priority, status, retry_count, next_attempt_at, claimed_until, claimed_by, message, error, status_code, event_at, created_at,
  expires_at, sent_at, updated_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_old RENAME TO notifications;
CREATE INDEX notifications_due_idx ON notifications (next_attempt_at, notification_id) WHERE status IN ('pending', 'failed', 'sending');
CREATE INDEX notifications_created_idx ON notifications (created_at, notification_id);
CREATE INDEX notifications_team_idx ON notifications (team_id, created_at);
CREATE INDEX notifications_session_idx ON notifications (session_id, created_at);
CREATE INDEX notifications_execution_idx ON notifications (execution_id) WHERE execution_id IS NOT NULL;
CREATE INDEX notifications_channel_idx ON notifications (channel_id, status);
CREATE INDEX notifications_dead_idx ON notifications (created_at) WHERE status = 'dead';
