-- Back to webhook, slack and discord only. Email and ntfy channels cannot be kept under
-- the narrower CHECK, so they are removed; their notifications stay, for the record, and
-- the outbox's expiry sets those still waiting dead (their channel is gone).
DELETE FROM channels WHERE kind NOT IN ('webhook', 'slack', 'discord');
ALTER TABLE channels DROP CONSTRAINT channels_kind_check;
ALTER TABLE channels ADD CONSTRAINT channels_kind_check CHECK (kind IN ('webhook', 'slack', 'discord'));
