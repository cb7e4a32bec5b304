-- Notifications, part 2: email (SMTP) and ntfy channels. channels_kind_check is the name
-- PostgreSQL gave the column's CHECK in 0015.
ALTER TABLE channels DROP CONSTRAINT channels_kind_check;
ALTER TABLE channels ADD CONSTRAINT channels_kind_check CHECK (kind IN ('webhook', 'slack', 'discord', 'email', 'ntfy'));
