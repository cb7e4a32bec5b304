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
