-- Notifications, part 2: digests, quiet hours and stale prompts. A notification now starts
-- `new` (batching has not looked at it yet); batching makes it `pending` (goes now), `held`
-- (waits for its digest window or for quiet hours to end, until next_attempt_at) or, once
-- its group is released, `digested` into a digest notification of its own (digest_id names
-- it). `stale`: a permission or input prompt already too old when its rule fired, not sent.
ALTER TABLE notifications DROP CONSTRAINT notifications_status_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_status_check
  CHECK (status IN ('new', 'pending', 'held', 'digested', 'sending', 'failed', 'sent', 'dead', 'stale'));
ALTER TABLE notifications
  ADD COLUMN held_reason  text CHECK (held_reason IN ('digest', 'quiet_hours')),
  ADD COLUMN opens_window boolean NOT NULL DEFAULT false,
  ADD COLUMN digest_id    text,
  ADD COLUMN digest_size  integer NOT NULL DEFAULT 0;
-- What batching has still to look at, and the held groups it releases.
CREATE INDEX notifications_new_idx ON notifications (created_at, notification_id) WHERE status = 'new';
CREATE INDEX notifications_held_idx ON notifications (team_id, channel_id, kind, next_attempt_at) WHERE status = 'held';
-- The last notification that went at once for a (team, channel, kind): it opened the digest window.
CREATE INDEX notifications_window_idx ON notifications (channel_id, kind, team_id, created_at) WHERE opens_window;
CREATE INDEX notifications_digest_idx ON notifications (digest_id) WHERE digest_id IS NOT NULL;
