ALTER TABLE derivation_queue DROP COLUMN queued_at, DROP COLUMN event_count;
