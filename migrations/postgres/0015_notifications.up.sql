-- Notifications, part 1: the config store and its key checks, channels, and the outbox
-- with each delivery attempt. Secrets (config values marked secret, webhook URLs, signing
-- secrets) are stored sealed: AES-256-GCM under hookd's secret key, bound to their record
-- (src/core/secret-box.ts).

-- One row per secret key that has sealed something: a process whose key of that id
-- differs refuses to start instead of failing on every secret later.
CREATE TABLE secret_key_checks (
  key_id      text    PRIMARY KEY,
  check_value text    NOT NULL,
  created_at  timestamptz NOT NULL
);

-- The seed's config store: key -> value, a secret value sealed and shown as its hint.
CREATE TABLE config_entries (
  key        text    PRIMARY KEY,
  value      text    NOT NULL,
  secret     boolean     NOT NULL,
  hint       text,
  updated_at timestamptz NOT NULL,
  updated_by text    NOT NULL
);

-- Where notifications go. team_id NULL: the installation's, usable by every team's rules.
-- url_hint is the URL as shown (scheme, host and the start of the path, the rest starred).
-- next_send_at paces a channel to its service's limit across processes.
CREATE TABLE channels (
  channel_id     text    PRIMARY KEY,
  team_id        text,
  kind           text    NOT NULL CHECK (kind IN ('webhook', 'slack', 'discord')),
  name           text,
  url_sealed     text    NOT NULL,
  url_hint       text    NOT NULL,
  secret_sealed  text,
  paused         boolean     NOT NULL DEFAULT false,
  paused_reason  text,
  paused_at      timestamptz,
  failure_streak integer NOT NULL DEFAULT 0,
  next_send_at   timestamptz NOT NULL DEFAULT 'epoch',
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL
);
CREATE INDEX channels_team_idx ON channels (team_id, channel_id);

-- The outbox: a firing rule's notifications are inserted in the transaction that records
-- its execution, and delivered by workers claiming due rows. notification_id is also the
-- webhook-id every attempt carries. status: pending (not tried yet), sending (claimed until
-- claimed_until), failed (tried, due again at next_attempt_at), sent, dead.
CREATE TABLE notifications (
  notification_id text    PRIMARY KEY,
  execution_id    text,
  team_id         text,
  session_id      text,
  event_id        text,
  event_type      text,
  channel_id      text    NOT NULL,
  kind            text    NOT NULL,
  priority        text    NOT NULL CHECK (priority IN ('normal', 'critical')),
  status          text    NOT NULL CHECK (status IN ('pending', 'sending', 'failed', 'sent', 'dead')),
  retry_count     integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  claimed_until   timestamptz,
  claimed_by      text,
  message         text    NOT NULL,
  error           text,
  status_code     integer,
  event_at        timestamptz NOT NULL,
  created_at      timestamptz NOT NULL,
  expires_at      timestamptz NOT NULL,
  sent_at         timestamptz,
  updated_at      timestamptz NOT NULL
);
CREATE INDEX notifications_due_idx ON notifications (next_attempt_at, notification_id) WHERE status IN ('pending', 'failed', 'sending');
CREATE INDEX notifications_created_idx ON notifications (created_at, notification_id);
CREATE INDEX notifications_team_idx ON notifications (team_id, created_at);
CREATE INDEX notifications_session_idx ON notifications (session_id, created_at);
CREATE INDEX notifications_execution_idx ON notifications (execution_id) WHERE execution_id IS NOT NULL;
CREATE INDEX notifications_channel_idx ON notifications (channel_id, status);
CREATE INDEX notifications_dead_idx ON notifications (created_at) WHERE status = 'dead';

CREATE TABLE notification_attempts (
  notification_id  text    NOT NULL,
  attempt          integer NOT NULL,
  started_at       timestamptz NOT NULL,
  latency_ms       double precision    NOT NULL,
  status_code      integer,
  outcome          text    NOT NULL CHECK (outcome IN ('sent', 'retry', 'permanent')),
  error            text,
  response_excerpt text,
  PRIMARY KEY (notification_id, attempt)
);
