-- Events as sent, one row each. Times are epoch milliseconds (UTC).
CREATE TABLE events (
  id           INTEGER PRIMARY KEY,
  event_id     TEXT    NOT NULL,
  session_id   TEXT    NOT NULL,
  event_type   TEXT    NOT NULL,
  ts           INTEGER NOT NULL,
  received_at  INTEGER NOT NULL,
  source       TEXT    NOT NULL,
  workflow_id  TEXT,
  phase_id     TEXT,
  milestone_id TEXT,
  team_id      TEXT,
  task_id      TEXT,
  user         TEXT,
  host         TEXT,
  data         TEXT    NOT NULL
);
-- The idempotency key: the same (session_id, event_id) is the same event. event_id comes
-- first so the same index also finds an event by id alone; every index costs ingest
-- about as much as the row itself, so there is no second one for that.
CREATE UNIQUE INDEX events_event_session_uq ON events (event_id, session_id);
CREATE INDEX events_session_ts_idx ON events (session_id, ts);
CREATE INDEX events_ts_idx ON events (ts);
