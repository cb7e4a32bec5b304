-- events.id becomes AUTOINCREMENT: an id is never handed out twice. Without it SQLite
-- gives a new row max(id) + 1, so deleting a session whose events are the newest
-- (DELETE /sessions/{id}) would hand their ids out again, and the live tail, whose
-- cursors are ids (id order is commit order on SQLite), would skip the new events or take
-- them for ones already sent. SQLite cannot add AUTOINCREMENT to a table, so it is built
-- again; ids are kept, and sqlite_sequence starts from the largest one.
CREATE TABLE events_next (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
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
INSERT INTO events_next SELECT * FROM events;
DROP TABLE events;
ALTER TABLE events_next RENAME TO events;
CREATE UNIQUE INDEX events_event_session_uq ON events (event_id, session_id);
CREATE INDEX events_session_ts_idx ON events (session_id, ts);
CREATE INDEX events_ts_idx ON events (ts);
