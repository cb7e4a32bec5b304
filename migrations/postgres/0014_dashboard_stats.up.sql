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
  grain   text        NOT NULL CHECK (grain IN ('all', 'team')),
  team_id text        NOT NULL,
  minute  timestamptz NOT NULL,
  source  text        NOT NULL,
  events  bigint      NOT NULL,
  PRIMARY KEY (grain, team_id, minute, source)
);

-- Sessions ended since a time, and of one team: a range of this index, read from it alone.
CREATE INDEX sessions_ended_idx ON sessions (ended_at, team_id) WHERE ended_at IS NOT NULL;

-- Fill from the derived events of the last 48 hours (from the first whole minute, as the
-- passes count): the events still in the derivation queue are counted by their pass.
INSERT INTO event_minutes (grain, team_id, minute, source, events)
WITH queued AS (
  SELECT e ->> 1 AS session_id, e ->> 0 AS event_id FROM derivation_queue q, json_array_elements(q.events::json) e
), counted AS (
  SELECT date_trunc('minute', ev.ts, 'UTC') AS minute, ev.team_id, ev.source FROM events ev
   WHERE ev.ts >= date_trunc('minute', now() - interval '48 hours' - interval '1 microsecond', 'UTC') + interval '1 minute'
     AND NOT EXISTS (SELECT 1 FROM queued q WHERE q.session_id = ev.session_id AND q.event_id = ev.event_id)
)
SELECT 'all', '', minute, source, count(*) FROM counted GROUP BY minute, source
UNION ALL
SELECT 'team', team_id, minute, source, count(*) FROM counted WHERE team_id IS NOT NULL GROUP BY team_id, minute, source;
