-- Events as sent, range-partitioned by event time (monthly partitions are created by
-- hookd ahead of time and on demand; there is deliberately no default partition, whose
-- rows would block creating their month later).
CREATE TABLE events (
  id           bigserial   NOT NULL,
  event_id     text        NOT NULL,
  session_id   text        NOT NULL,
  event_type   text        NOT NULL,
  ts           timestamptz NOT NULL,
  received_at  timestamptz NOT NULL,
  source       text        NOT NULL,
  workflow_id  text,
  phase_id     text,
  milestone_id text,
  team_id      text,
  task_id      text,
  "user"       text,
  host         text,
  data         jsonb       NOT NULL
) PARTITION BY RANGE (ts);

-- Each index costs ingest about as much as the row, so there are only the ones queries
-- need: time order (newest first; it also serves time ranges, so a BRIN would add
-- nothing) and a session's timeline. Uniqueness and lookup by id live in event_keys.
CREATE INDEX events_ts_idx ON events (ts, id);
CREATE INDEX events_session_ts_idx ON events (session_id, ts);

-- A unique key on a partitioned table must contain the partition column, but a retry
-- may carry another timestamp. The idempotency key therefore lives in its own
-- unpartitioned table, written in the same statement as the event.
-- event_id first, so the key also finds an event (and its partition, by ts) from its id.
CREATE TABLE event_keys (
  event_id   text        NOT NULL,
  session_id text        NOT NULL,
  ts         timestamptz NOT NULL,
  PRIMARY KEY (event_id, session_id)
);
CREATE INDEX event_keys_ts_idx ON event_keys (ts);
