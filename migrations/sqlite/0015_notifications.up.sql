-- Notifications, part 1: the config store and its key checks, channels, and the outbox
-- with each delivery attempt. Secrets (config values marked secret, webhook URLs, signing
-- secrets) are stored sealed: AES-256-GCM under hookd's secret key, bound to their record
-- (src/core/secret-box.ts). Times are epoch ms.

-- One row per secret key that has sealed something: a process whose key of that id
-- differs refuses to start instead of failing on every secret later.
CREATE TABLE secret_key_checks (
  key_id      TEXT    PRIMARY KEY,
  check_value TEXT    NOT NULL,
  created_at  INTEGER NOT NULL
) WITHOUT ROWID;

-- The seed's config store: key -> value, a secret value sealed and shown as its hint.
CREATE TABLE config_entries (
  key        TEXT    PRIMARY KEY,
  value      TEXT    NOT NULL,
  secret     INTEGER NOT NULL CHECK (secret IN (0, 1)),
  hint       TEXT,
  updated_at INTEGER NOT NULL,
  updated_by TEXT    NOT NULL
) WITHOUT ROWID;

-- Where notifications go. team_id NULL: the installation's, usable by every team's rules.
-- url_hint is the URL as shown (scheme, host and the start of the path, the rest starred).
-- next_send_at paces a channel to its service's limit across processes.
CREATE TABLE channels (
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
CREATE INDEX channels_team_idx ON channels (team_id, channel_id);

-- The outbox: a firing rule's notifications are inserted in the transaction that records
-- its execution, and delivered by workers claiming due rows. notification_id is also the
-- webhook-id every attempt carries. status: pending (not tried yet), sending (claimed until
-- claimed_until), failed (tried, due again at next_attempt_at), sent, dead.
CREATE TABLE notifications (
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
CREATE INDEX notifications_due_idx ON notifications (next_attempt_at, notification_id) WHERE status IN ('pending', 'failed', 'sending');
CREATE INDEX notifications_created_idx ON notifications (created_at, notification_id);
CREATE INDEX notifications_team_idx ON notifications (team_id, created_at);
CREATE INDEX notifications_session_idx ON notifications (session_id, created_at);
CREATE INDEX notifications_execution_idx ON notifications (execution_id) WHERE execution_id IS NOT NULL;
CREATE INDEX notifications_channel_idx ON notifications (channel_id, status);
CREATE INDEX notifications_dead_idx ON notifications (created_at) WHERE status = 'dead';

CREATE TABLE notification_attempts (
  notification_id  TEXT    NOT NULL,
  attempt          INTEGER NOT NULL,
  started_at       INTEGER NOT NULL,
  latency_ms       REAL    NOT NULL,
  status_code      INTEGER,
  outcome          TEXT    NOT NULL CHECK (outcome IN ('sent', 'retry', 'permanent')),
  error            TEXT,
  response_excerpt TEXT,
  PRIMARY KEY (notification_id, attempt)
) WITHOUT ROWID;
