-- Derivation goes back inside the ingest commit; derive what is pending first
-- (`hookd rebuild`), or those events stay out of the sessions.
CREATE INDEX events_session_ts_idx ON events (session_id, ts);
DROP TABLE session_events;
DROP TABLE derivation_cursor;
