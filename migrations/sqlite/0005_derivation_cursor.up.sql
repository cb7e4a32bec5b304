-- Sessions and tool uses are derived after the events commit, not inside their commit:
-- ingest then writes only the events, and the derivation handles hundreds of events per
-- transaction, touching each session row once. SQLite hands out events.id in commit order
-- (one writer at a time, AUTOINCREMENT), so "derived up to id N" is the whole state: the
-- derivation reads id > last_id and moves last_id in the same transaction as its writes,
-- so every event is derived exactly once, whichever process (server, CLI) does it.
-- Events stored before this migration were derived at ingest: the cursor starts past them.
CREATE TABLE derivation_cursor (
  name    TEXT    PRIMARY KEY,
  last_id INTEGER NOT NULL
);
INSERT INTO derivation_cursor (name, last_id) SELECT 'sessions', COALESCE(max(id), 0) FROM events;

-- Events by session come from session_events, which the same passes fill, instead of an
-- index on events: events.id grows at one end, but an index that starts with session_id
-- touches a different page for every session in a commit, and SQLite's WAL writes each
-- touched page whole. Measured on 25-event commits over 32 sessions: that index was two
-- thirds of the WAL bytes (about 100 KB of WAL per commit with it, 34 KB without), and
-- commits in the durable default took 1.2 ms instead of 0.75. A pass of hundreds of
-- events touches each session's page once. Events above the cursor are not in it yet:
-- reads by session add them from events itself (a short range of ids).
CREATE TABLE session_events (
  session_id TEXT    NOT NULL,
  ts         INTEGER NOT NULL,
  id         INTEGER NOT NULL,
  PRIMARY KEY (session_id, ts, id)
) WITHOUT ROWID;
INSERT INTO session_events (session_id, ts, id) SELECT session_id, ts, id FROM events;
DROP INDEX events_session_ts_idx;
