-- Removes exactly what 0015_notifications.up.sql created.
DROP TABLE notification_attempts;
DROP TABLE notifications;
DROP TABLE channels;
DROP TABLE config_entries;
DROP TABLE secret_key_checks;
