-- What a dashboard polls (GET /stats/events, GET /stats/sessions) reads rows bounded by the
-- window it asks for, never the events: what grows with history stays off its path.

-- Events per UTC minute of their time and source, at two grains: 'all' (team_id '') and
-- 'team' (the event's team; an event of no team has no such row), so a team-bound token's
-- figures are one key's rows. The derivation passes add each event as they take it
-- (src/modules/derivation/event-minutes.ts) and deleting a session takes its events away.
-- Minutes older than 48 hours are deleted by `hookd serve` and an event older than that
-- is not counted at all: twice the longest window served (24 hours), so a window never
-- reaches a minute being pruned, and the table holds two days whatever the history.
CREATE TABLE event_minutes (
  grain   TEXT    NOT NULL CHECK (grain IN ('all', 'team')),
  team_id TEXT    NOT NULL,
  minute  INTEGER NOT NULL,
  source  TEXT    NOT NULL,
  events  INTEGER NOT NULL,
  PRIMARY KEY (grain, team_id, minute, source)
) WITHOUT ROWID;

-- Sessions ended since a time, and of one team: a range of this index, read from it alone.
CREATE INDEX sessions_ended_idx ON sessions (ended_at, team_id) WHERE ended_at IS NOT NULL;

-- Fill from the derived events of the last 48 hours (from the first whole minute, as the
-- passes count); the passes count those above the cursor.
INSERT INTO event_minutes (grain, team_id, minute, source, events)
WITH counted AS (
  SELECT ts / 60000 * 60000 AS minute, team_id, source FROM events
   WHERE ts >= ((CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) - 172800000 - 1) / 60000 + 1) * 60000
     AND id <= (SELECT last_id FROM derivation_cursor WHERE name = 'sessions')
)
SELECT 'all', '', minute, source, count(*) FROM counted GROUP BY minute, source
UNION ALL
SELECT 'team', team_id, minute, source, count(*) FROM counted WHERE team_id IS NOT NULL GROUP BY team_id, minute, source;
