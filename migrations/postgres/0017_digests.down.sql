-- Removes what 0017_digests.up.sql added. Rows of the new statuses cannot be kept under the
-- old CHECK: a digest's members become what their digest became, the rest waits as pending.
UPDATE notifications n SET status = COALESCE((SELECT d.status FROM notifications d WHERE d.notification_id = n.digest_id
    AND d.status IN ('sent', 'dead')), 'dead'), error = COALESCE(n.error, 'sent in a digest')
  WHERE n.status = 'digested';
UPDATE notifications SET status = 'pending' WHERE status IN ('new', 'held');
UPDATE notifications SET status = 'dead' WHERE status = 'stale';
DROP INDEX notifications_new_idx;
DROP INDEX notifications_held_idx;
DROP INDEX notifications_window_idx;
DROP INDEX notifications_digest_idx;
ALTER TABLE notifications DROP COLUMN held_reason, DROP COLUMN opens_window, DROP COLUMN digest_id, DROP COLUMN digest_size;
ALTER TABLE notifications DROP CONSTRAINT notifications_status_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_status_check CHECK (status IN ('pending', 'sending', 'failed', 'sent', 'dead'));
