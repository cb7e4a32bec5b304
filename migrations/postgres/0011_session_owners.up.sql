-- Which team a session belongs to, fixed by its first accepted write and kept in the
-- ingest statement itself (event-store-postgres.ts): sessions are derived only after the
-- commit, so the derived row cannot be what a bound token's next write is checked against.
-- A row is never changed or deleted (a deleted session's id stays its team's).
CREATE TABLE session_owners (
  session_id text PRIMARY KEY,
  team_id    text
);
INSERT INTO session_owners (session_id, team_id) SELECT session_id, team_id FROM sessions;
-- Sessions whose events are not derived yet: the first event of each decides.
INSERT INTO session_owners (session_id, team_id)
  SELECT DISTINCT ON (session_id) session_id, team_id FROM events e
   WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.session_id = e.session_id)
   ORDER BY session_id, id;

-- Server-wide flags. `tokens_issued`: once any API token was created, every route but
-- /health needs a valid one, even after the last is revoked (auth.ts).
CREATE TABLE settings (
  name       text        PRIMARY KEY,
  value      text        NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO settings (name, value) SELECT 'tokens_issued', 'true' WHERE EXISTS (SELECT 1 FROM api_tokens);
