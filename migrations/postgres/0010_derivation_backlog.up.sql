-- What /metrics reports of the derivation's backlog (derivation-backlog-postgres.ts):
-- how many events each queued commit holds and when it was queued, so the backlog is a
-- sum and a min over the queue instead of parsing every row's JSON. Rows queued before
-- this migration are counted now and dated now.
ALTER TABLE derivation_queue
  ADD COLUMN event_count integer     NOT NULL DEFAULT 0,
  ADD COLUMN queued_at   timestamptz NOT NULL DEFAULT now();
UPDATE derivation_queue SET event_count = json_array_length(events::json);
