-- Back to a plain INTEGER PRIMARY KEY (ids kept).
CREATE TABLE events_prev (
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
INSERT INTO events_prev SELECT * FROM events;
DROP TABLE events;
ALTER TABLE events_prev RENAME TO events;
CREATE UNIQUE INDEX events_event_session_uq ON events (event_id, session_id);
CREATE INDEX events_session_ts_idx ON events (session_id, ts);
CREATE INDEX events_ts_idx ON events (ts);
