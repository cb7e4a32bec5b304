-- Which team a session belongs to, fixed by its first accepted write and kept in the
-- ingest transaction itself (sqlite-event-writer.ts): sessions are derived only after the
-- commit, so the derived row cannot be what a bound token's next write is checked against.
-- A row is never changed or deleted (a deleted session's id stays its team's).
CREATE TABLE session_owners (
  session_id TEXT PRIMARY KEY,
  team_id    TEXT
) WITHOUT ROWID;
INSERT INTO session_owners (session_id, team_id) SELECT session_id, team_id FROM sessions;
-- Sessions whose events are not derived yet: the first event of each decides.
INSERT OR IGNORE INTO session_owners (session_id, team_id)
  SELECT session_id, team_id FROM events
   WHERE id > (SELECT last_id FROM derivation_cursor WHERE name = 'sessions')
   ORDER BY id;

-- Server-wide flags. `tokens_issued`: once any API token was created, every route but
-- /health needs a valid one, even after the last is revoked (auth.ts).
CREATE TABLE settings (
  name       TEXT    PRIMARY KEY,
  value      TEXT    NOT NULL,
  updated_at INTEGER NOT NULL
);
INSERT INTO settings (name, value, updated_at)
  SELECT 'tokens_issued', 'true', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) WHERE EXISTS (SELECT 1 FROM api_tokens);
