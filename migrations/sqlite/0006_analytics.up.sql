-- Analytics (the five views and, on PostgreSQL, four functions) read rollups kept up to
-- date by the derivation passes, never raw events or the JSON payloads. The rollups are
-- a pure function of the tool_uses rows: every pass adds what a row contributes now and
-- takes away what it contributed before (src/modules/analytics/tool-use-contribution.ts),
-- and deleting a session takes its rows' contributions away. This migration fills them
-- from the rows already there, by the same rules.

-- Per-session counters the workflow pattern and success score are computed from.
ALTER TABLE sessions ADD COLUMN tools_succeeded INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN tools_failed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN explore_calls INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN edit_calls INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN test_runs INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN delegate_calls INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN research_calls INTEGER NOT NULL DEFAULT 0;
CREATE INDEX sessions_started_idx ON sessions (started_at);

-- The session's source, project and team as they were when the call was last derived: the
-- rollup rows the call counts in, so taking its contribution away later finds them even
-- if the session's project changed since.
ALTER TABLE tool_uses ADD COLUMN source TEXT;
ALTER TABLE tool_uses ADD COLUMN project TEXT;
ALTER TABLE tool_uses ADD COLUMN team_id TEXT;
-- Subagent (Task) calls: the few rows the agents view counts distinct sessions over. In
-- session order per type, and holding every column that count filters on, so it is read
-- from the index alone, with no sort.
CREATE INDEX tool_uses_subagent_idx ON tool_uses (subagent_type, session_id, status, started_at, ended_at, source, project, team_id)
  WHERE subagent_type IS NOT NULL;

-- Duration bins of the histograms (src/modules/analytics/duration-bins.ts): [lower_ms, upper_ms),
-- and the value a percentile falling in the bin reports.
CREATE TABLE duration_bins (
  bin      INTEGER PRIMARY KEY,
  lower_ms INTEGER NOT NULL,
  upper_ms INTEGER,
  mid_ms   INTEGER NOT NULL
);
INSERT INTO duration_bins (bin, lower_ms, upper_ms, mid_ms) VALUES
  (0, 0, 1, 0),
  (1, 1, 2, 1),
  (2, 2, 3, 2),
  (3, 3, 4, 3),
  (4, 4, 5, 4),
  (5, 5, 6, 5),
  (6, 6, 7, 6),
  (7, 7, 8, 7),
  (8, 8, 9, 8),
  (9, 9, 11, 9),
  (10, 11, 14, 12),
  (11, 14, 18, 15),
  (12, 18, 23, 20),
  (13, 23, 30, 26),
  (14, 30, 39, 34),
  (15, 39, 51, 44),
  (16, 51, 67, 58),
  (17, 67, 87, 75),
  (18, 87, 112, 98),
  (19, 112, 146, 126),
  (20, 146, 190, 165),
  (21, 190, 247, 214),
  (22, 247, 321, 279),
  (23, 321, 418, 363),
  (24, 418, 543, 472),
  (25, 543, 706, 613),
  (26, 706, 917, 797),
  (27, 917, 1193, 1037),
  (28, 1193, 1550, 1348),
  (29, 1550, 2015, 1752),
  (30, 2015, 2620, 2278),
  (31, 2620, 3406, 2961),
  (32, 3406, 4428, 3850),
  (33, 4428, 5756, 5005),
  (34, 5756, 7483, 6506),
  (35, 7483, 9728, 8459),
  (36, 9728, 12646, 10996),
  (37, 12646, 16440, 14295),
  (38, 16440, 21372, 18584),
  (39, 21372, 27784, 24159),
  (40, 27784, 36119, 31408),
  (41, 36119, 46955, 40830),
  (42, 46955, 61041, 53079),
  (43, 61041, 79353, 69002),
  (44, 79353, 103159, 89703),
  (45, 103159, 134107, 116614),
  (46, 134107, 174339, 151599),
  (47, 174339, 226641, 197079),
  (48, 226641, 294633, 256202),
  (49, 294633, 383022, 333063),
  (50, 383022, 497929, 432981),
  (51, 497929, 647308, 562876),
  (52, 647308, 841500, 731739),
  (53, 841500, 1093951, 951261),
  (54, 1093951, 1422136, 1236640),
  (55, 1422136, 1848776, 1607631),
  (56, 1848776, 2403409, 2089920),
  (57, 2403409, 3124432, 2716897),
  (58, 3124432, 4061762, 3531966),
  (59, 4061762, 5280290, 4591556),
  (60, 5280290, 6864377, 5969023),
  (61, 6864377, 8923690, 7759730),
  (62, 8923690, 11600797, 10087649),
  (63, 11600797, NULL, 11600797);

-- Completed tool calls per hour (of the call's start), tool and subagent type ('' for
-- none), at five grains: 'all'; one of 'source', 'project', 'team' (the others '');
-- 'full' (all three; '' where the session had none), which serves filters on two or more.
-- Each call counts twice: in its hour (span 'hour') and in its UTC day (span 'day'), so
-- all-time figures and the whole days of a range sum 24 times fewer rows.
CREATE TABLE tool_rollups (
  grain           TEXT NOT NULL,
  span            TEXT NOT NULL CHECK (span IN ('hour', 'day')),
  source          TEXT NOT NULL,
  project         TEXT NOT NULL,
  team_id         TEXT NOT NULL,
  bucket          INTEGER NOT NULL,
  tool_name       TEXT NOT NULL,
  subagent_type   TEXT NOT NULL,
  succeeded       INTEGER NOT NULL,
  failed          INTEGER NOT NULL,
  timed           INTEGER NOT NULL,
  duration_sum_ms INTEGER NOT NULL,
  b00 INTEGER NOT NULL DEFAULT 0, b01 INTEGER NOT NULL DEFAULT 0, b02 INTEGER NOT NULL DEFAULT 0, b03 INTEGER NOT NULL DEFAULT 0,
  b04 INTEGER NOT NULL DEFAULT 0, b05 INTEGER NOT NULL DEFAULT 0, b06 INTEGER NOT NULL DEFAULT 0, b07 INTEGER NOT NULL DEFAULT 0,
  b08 INTEGER NOT NULL DEFAULT 0, b09 INTEGER NOT NULL DEFAULT 0, b10 INTEGER NOT NULL DEFAULT 0, b11 INTEGER NOT NULL DEFAULT 0,
  b12 INTEGER NOT NULL DEFAULT 0, b13 INTEGER NOT NULL DEFAULT 0, b14 INTEGER NOT NULL DEFAULT 0, b15 INTEGER NOT NULL DEFAULT 0,
  b16 INTEGER NOT NULL DEFAULT 0, b17 INTEGER NOT NULL DEFAULT 0, b18 INTEGER NOT NULL DEFAULT 0, b19 INTEGER NOT NULL DEFAULT 0,
  b20 INTEGER NOT NULL DEFAULT 0, b21 INTEGER NOT NULL DEFAULT 0, b22 INTEGER NOT NULL DEFAULT 0, b23 INTEGER NOT NULL DEFAULT 0,
  b24 INTEGER NOT NULL DEFAULT 0, b25 INTEGER NOT NULL DEFAULT 0, b26 INTEGER NOT NULL DEFAULT 0, b27 INTEGER NOT NULL DEFAULT 0,
  b28 INTEGER NOT NULL DEFAULT 0, b29 INTEGER NOT NULL DEFAULT 0, b30 INTEGER NOT NULL DEFAULT 0, b31 INTEGER NOT NULL DEFAULT 0,
  b32 INTEGER NOT NULL DEFAULT 0, b33 INTEGER NOT NULL DEFAULT 0, b34 INTEGER NOT NULL DEFAULT 0, b35 INTEGER NOT NULL DEFAULT 0,
  b36 INTEGER NOT NULL DEFAULT 0, b37 INTEGER NOT NULL DEFAULT 0, b38 INTEGER NOT NULL DEFAULT 0, b39 INTEGER NOT NULL DEFAULT 0,
  b40 INTEGER NOT NULL DEFAULT 0, b41 INTEGER NOT NULL DEFAULT 0, b42 INTEGER NOT NULL DEFAULT 0, b43 INTEGER NOT NULL DEFAULT 0,
  b44 INTEGER NOT NULL DEFAULT 0, b45 INTEGER NOT NULL DEFAULT 0, b46 INTEGER NOT NULL DEFAULT 0, b47 INTEGER NOT NULL DEFAULT 0,
  b48 INTEGER NOT NULL DEFAULT 0, b49 INTEGER NOT NULL DEFAULT 0, b50 INTEGER NOT NULL DEFAULT 0, b51 INTEGER NOT NULL DEFAULT 0,
  b52 INTEGER NOT NULL DEFAULT 0, b53 INTEGER NOT NULL DEFAULT 0, b54 INTEGER NOT NULL DEFAULT 0, b55 INTEGER NOT NULL DEFAULT 0,
  b56 INTEGER NOT NULL DEFAULT 0, b57 INTEGER NOT NULL DEFAULT 0, b58 INTEGER NOT NULL DEFAULT 0, b59 INTEGER NOT NULL DEFAULT 0,
  b60 INTEGER NOT NULL DEFAULT 0, b61 INTEGER NOT NULL DEFAULT 0, b62 INTEGER NOT NULL DEFAULT 0, b63 INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (grain, span, source, project, team_id, bucket, tool_name, subagent_type)
) WITHOUT ROWID;
CREATE INDEX tool_rollups_subagent_idx ON tool_rollups (grain, span, subagent_type, bucket) WHERE subagent_type <> '';

-- Failed calls per error (the first line of the error, at most 120 characters), same keys.
CREATE TABLE tool_error_rollups (
  grain     TEXT NOT NULL,
  span      TEXT NOT NULL CHECK (span IN ('hour', 'day')),
  source    TEXT NOT NULL,
  project   TEXT NOT NULL,
  team_id   TEXT NOT NULL,
  bucket    INTEGER NOT NULL,
  tool_name TEXT NOT NULL,
  error     TEXT NOT NULL,
  failures  INTEGER NOT NULL,
  PRIMARY KEY (grain, span, source, project, team_id, bucket, tool_name, error)
) WITHOUT ROWID;

-- Fill from what is there.
UPDATE tool_uses SET source = s.source, project = s.project, team_id = s.team_id FROM sessions s WHERE s.session_id = tool_uses.session_id;
UPDATE sessions SET
  tools_succeeded = (SELECT count(*) FROM tool_uses t WHERE t.session_id = sessions.session_id AND (status = 'succeeded')),
  tools_failed = (SELECT count(*) FROM tool_uses t WHERE t.session_id = sessions.session_id AND (status = 'failed')),
  explore_calls = (SELECT count(*) FROM tool_uses t WHERE t.session_id = sessions.session_id AND (tool_name IN ('Read', 'Grep', 'Glob', 'LS', 'NotebookRead'))),
  edit_calls = (SELECT count(*) FROM tool_uses t WHERE t.session_id = sessions.session_id AND (tool_name IN ('Edit', 'MultiEdit', 'Write', 'NotebookEdit'))),
  test_runs = (SELECT count(*) FROM tool_uses t WHERE t.session_id = sessions.session_id AND (tool_name = 'Bash' AND (lower(COALESCE(input_summary, '')) LIKE '%npm test%' OR lower(COALESCE(input_summary, '')) LIKE '%npm run test%' OR lower(COALESCE(input_summary, '')) LIKE '%pnpm test%' OR lower(COALESCE(input_summary, '')) LIKE '%yarn test%' OR lower(COALESCE(input_summary, '')) LIKE '%bun test%' OR lower(COALESCE(input_summary, '')) LIKE '%pytest%' OR lower(COALESCE(input_summary, '')) LIKE '%go test%' OR lower(COALESCE(input_summary, '')) LIKE '%cargo test%' OR lower(COALESCE(input_summary, '')) LIKE '%vitest%' OR lower(COALESCE(input_summary, '')) LIKE '%jest%' OR lower(COALESCE(input_summary, '')) LIKE '%mocha%' OR lower(COALESCE(input_summary, '')) LIKE '%rspec%' OR lower(COALESCE(input_summary, '')) LIKE '%phpunit%' OR lower(COALESCE(input_summary, '')) LIKE '%make test%' OR lower(COALESCE(input_summary, '')) LIKE '%mvn test%' OR lower(COALESCE(input_summary, '')) LIKE '%gradle test%' OR lower(COALESCE(input_summary, '')) LIKE '%dotnet test%' OR lower(COALESCE(input_summary, '')) LIKE '%unittest%'))),
  delegate_calls = (SELECT count(*) FROM tool_uses t WHERE t.session_id = sessions.session_id AND (tool_name IN ('Task', 'Agent'))),
  research_calls = (SELECT count(*) FROM tool_uses t WHERE t.session_id = sessions.session_id AND (tool_name IN ('WebFetch', 'WebSearch')));
INSERT INTO tool_rollups (grain, span, source, project, team_id, bucket, tool_name, subagent_type, succeeded, failed, timed, duration_sum_ms,
                          b00, b01, b02, b03, b04, b05, b06, b07, b08, b09, b10, b11, b12, b13, b14, b15,
                          b16, b17, b18, b19, b20, b21, b22, b23, b24, b25, b26, b27, b28, b29, b30, b31,
                          b32, b33, b34, b35, b36, b37, b38, b39, b40, b41, b42, b43, b44, b45, b46, b47,
                          b48, b49, b50, b51, b52, b53, b54, b55, b56, b57, b58, b59, b60, b61, b62, b63)
WITH t AS (
  SELECT (COALESCE(started_at, ended_at) / 3600000) * 3600000 AS bucket, tool_name, COALESCE(subagent_type, '') AS sub,
         COALESCE(source, '') AS src, COALESCE(project, '') AS proj, COALESCE(team_id, '') AS team, project, team_id, status, duration_ms,
         (SELECT bin FROM duration_bins WHERE duration_ms >= lower_ms AND (upper_ms IS NULL OR duration_ms < upper_ms)) AS bin
    FROM tool_uses WHERE status <> 'running'
)
SELECT 'all', 'hour', '', '', '', bucket, tool_name, sub, count(*) FILTER (WHERE status = 'succeeded'), count(*) FILTER (WHERE status = 'failed'), count(duration_ms), COALESCE(sum(duration_ms), 0),
       count(*) FILTER (WHERE bin = 0), count(*) FILTER (WHERE bin = 1), count(*) FILTER (WHERE bin = 2), count(*) FILTER (WHERE bin = 3), count(*) FILTER (WHERE bin = 4), count(*) FILTER (WHERE bin = 5),
       count(*) FILTER (WHERE bin = 6), count(*) FILTER (WHERE bin = 7), count(*) FILTER (WHERE bin = 8), count(*) FILTER (WHERE bin = 9), count(*) FILTER (WHERE bin = 10), count(*) FILTER (WHERE bin = 11),
       count(*) FILTER (WHERE bin = 12), count(*) FILTER (WHERE bin = 13), count(*) FILTER (WHERE bin = 14), count(*) FILTER (WHERE bin = 15), count(*) FILTER (WHERE bin = 16), count(*) FILTER (WHERE bin = 17),
       count(*) FILTER (WHERE bin = 18), count(*) FILTER (WHERE bin = 19), count(*) FILTER (WHERE bin = 20), count(*) FILTER (WHERE bin = 21), count(*) FILTER (WHERE bin = 22), count(*) FILTER (WHERE bin = 23),
       count(*) FILTER (WHERE bin = 24), count(*) FILTER (WHERE bin = 25), count(*) FILTER (WHERE bin = 26), count(*) FILTER (WHERE bin = 27), count(*) FILTER (WHERE bin = 28), count(*) FILTER (WHERE bin = 29),
       count(*) FILTER (WHERE bin = 30), count(*) FILTER (WHERE bin = 31), count(*) FILTER (WHERE bin = 32), count(*) FILTER (WHERE bin = 33), count(*) FILTER (WHERE bin = 34), count(*) FILTER (WHERE bin = 35),
       count(*) FILTER (WHERE bin = 36), count(*) FILTER (WHERE bin = 37), count(*) FILTER (WHERE bin = 38), count(*) FILTER (WHERE bin = 39), count(*) FILTER (WHERE bin = 40), count(*) FILTER (WHERE bin = 41),
       count(*) FILTER (WHERE bin = 42), count(*) FILTER (WHERE bin = 43), count(*) FILTER (WHERE bin = 44), count(*) FILTER (WHERE bin = 45), count(*) FILTER (WHERE bin = 46), count(*) FILTER (WHERE bin = 47),
       count(*) FILTER (WHERE bin = 48), count(*) FILTER (WHERE bin = 49), count(*) FILTER (WHERE bin = 50), count(*) FILTER (WHERE bin = 51), count(*) FILTER (WHERE bin = 52), count(*) FILTER (WHERE bin = 53),
       count(*) FILTER (WHERE bin = 54), count(*) FILTER (WHERE bin = 55), count(*) FILTER (WHERE bin = 56), count(*) FILTER (WHERE bin = 57), count(*) FILTER (WHERE bin = 58), count(*) FILTER (WHERE bin = 59),
       count(*) FILTER (WHERE bin = 60), count(*) FILTER (WHERE bin = 61), count(*) FILTER (WHERE bin = 62), count(*) FILTER (WHERE bin = 63)
  FROM t GROUP BY bucket, tool_name, sub
UNION ALL
SELECT 'source', 'hour', src, '', '', bucket, tool_name, sub, count(*) FILTER (WHERE status = 'succeeded'), count(*) FILTER (WHERE status = 'failed'), count(duration_ms), COALESCE(sum(duration_ms), 0),
       count(*) FILTER (WHERE bin = 0), count(*) FILTER (WHERE bin = 1), count(*) FILTER (WHERE bin = 2), count(*) FILTER (WHERE bin = 3), count(*) FILTER (WHERE bin = 4), count(*) FILTER (WHERE bin = 5),
       count(*) FILTER (WHERE bin = 6), count(*) FILTER (WHERE bin = 7), count(*) FILTER (WHERE bin = 8), count(*) FILTER (WHERE bin = 9), count(*) FILTER (WHERE bin = 10), count(*) FILTER (WHERE bin = 11),
       count(*) FILTER (WHERE bin = 12), count(*) FILTER (WHERE bin = 13), count(*) FILTER (WHERE bin = 14), count(*) FILTER (WHERE bin = 15), count(*) FILTER (WHERE bin = 16), count(*) FILTER (WHERE bin = 17),
       count(*) FILTER (WHERE bin = 18), count(*) FILTER (WHERE bin = 19), count(*) FILTER (WHERE bin = 20), count(*) FILTER (WHERE bin = 21), count(*) FILTER (WHERE bin = 22), count(*) FILTER (WHERE bin = 23),
       count(*) FILTER (WHERE bin = 24), count(*) FILTER (WHERE bin = 25), count(*) FILTER (WHERE bin = 26), count(*) FILTER (WHERE bin = 27), count(*) FILTER (WHERE bin = 28), count(*) FILTER (WHERE bin = 29),
       count(*) FILTER (WHERE bin = 30), count(*) FILTER (WHERE bin = 31), count(*) FILTER (WHERE bin = 32), count(*) FILTER (WHERE bin = 33), count(*) FILTER (WHERE bin = 34), count(*) FILTER (WHERE bin = 35),
       count(*) FILTER (WHERE bin = 36), count(*) FILTER (WHERE bin = 37), count(*) FILTER (WHERE bin = 38), count(*) FILTER (WHERE bin = 39), count(*) FILTER (WHERE bin = 40), count(*) FILTER (WHERE bin = 41),
       count(*) FILTER (WHERE bin = 42), count(*) FILTER (WHERE bin = 43), count(*) FILTER (WHERE bin = 44), count(*) FILTER (WHERE bin = 45), count(*) FILTER (WHERE bin = 46), count(*) FILTER (WHERE bin = 47),
       count(*) FILTER (WHERE bin = 48), count(*) FILTER (WHERE bin = 49), count(*) FILTER (WHERE bin = 50), count(*) FILTER (WHERE bin = 51), count(*) FILTER (WHERE bin = 52), count(*) FILTER (WHERE bin = 53),
       count(*) FILTER (WHERE bin = 54), count(*) FILTER (WHERE bin = 55), count(*) FILTER (WHERE bin = 56), count(*) FILTER (WHERE bin = 57), count(*) FILTER (WHERE bin = 58), count(*) FILTER (WHERE bin = 59),
       count(*) FILTER (WHERE bin = 60), count(*) FILTER (WHERE bin = 61), count(*) FILTER (WHERE bin = 62), count(*) FILTER (WHERE bin = 63)
  FROM t GROUP BY src, bucket, tool_name, sub
UNION ALL
SELECT 'project', 'hour', '', proj, '', bucket, tool_name, sub, count(*) FILTER (WHERE status = 'succeeded'), count(*) FILTER (WHERE status = 'failed'), count(duration_ms), COALESCE(sum(duration_ms), 0),
       count(*) FILTER (WHERE bin = 0), count(*) FILTER (WHERE bin = 1), count(*) FILTER (WHERE bin = 2), count(*) FILTER (WHERE bin = 3), count(*) FILTER (WHERE bin = 4), count(*) FILTER (WHERE bin = 5),
       count(*) FILTER (WHERE bin = 6), count(*) FILTER (WHERE bin = 7), count(*) FILTER (WHERE bin = 8), count(*) FILTER (WHERE bin = 9), count(*) FILTER (WHERE bin = 10), count(*) FILTER (WHERE bin = 11),
       count(*) FILTER (WHERE bin = 12), count(*) FILTER (WHERE bin = 13), count(*) FILTER (WHERE bin = 14), count(*) FILTER (WHERE bin = 15), count(*) FILTER (WHERE bin = 16), count(*) FILTER (WHERE bin = 17),
       count(*) FILTER (WHERE bin = 18), count(*) FILTER (WHERE bin = 19), count(*) FILTER (WHERE bin = 20), count(*) FILTER (WHERE bin = 21), count(*) FILTER (WHERE bin = 22), count(*) FILTER (WHERE bin = 23),
       count(*) FILTER (WHERE bin = 24), count(*) FILTER (WHERE bin = 25), count(*) FILTER (WHERE bin = 26), count(*) FILTER (WHERE bin = 27), count(*) FILTER (WHERE bin = 28), count(*) FILTER (WHERE bin = 29),
       count(*) FILTER (WHERE bin = 30), count(*) FILTER (WHERE bin = 31), count(*) FILTER (WHERE bin = 32), count(*) FILTER (WHERE bin = 33), count(*) FILTER (WHERE bin = 34), count(*) FILTER (WHERE bin = 35),
       count(*) FILTER (WHERE bin = 36), count(*) FILTER (WHERE bin = 37), count(*) FILTER (WHERE bin = 38), count(*) FILTER (WHERE bin = 39), count(*) FILTER (WHERE bin = 40), count(*) FILTER (WHERE bin = 41),
       count(*) FILTER (WHERE bin = 42), count(*) FILTER (WHERE bin = 43), count(*) FILTER (WHERE bin = 44), count(*) FILTER (WHERE bin = 45), count(*) FILTER (WHERE bin = 46), count(*) FILTER (WHERE bin = 47),
       count(*) FILTER (WHERE bin = 48), count(*) FILTER (WHERE bin = 49), count(*) FILTER (WHERE bin = 50), count(*) FILTER (WHERE bin = 51), count(*) FILTER (WHERE bin = 52), count(*) FILTER (WHERE bin = 53),
       count(*) FILTER (WHERE bin = 54), count(*) FILTER (WHERE bin = 55), count(*) FILTER (WHERE bin = 56), count(*) FILTER (WHERE bin = 57), count(*) FILTER (WHERE bin = 58), count(*) FILTER (WHERE bin = 59),
       count(*) FILTER (WHERE bin = 60), count(*) FILTER (WHERE bin = 61), count(*) FILTER (WHERE bin = 62), count(*) FILTER (WHERE bin = 63)
  FROM t WHERE project IS NOT NULL GROUP BY proj, bucket, tool_name, sub
UNION ALL
SELECT 'team', 'hour', '', '', team, bucket, tool_name, sub, count(*) FILTER (WHERE status = 'succeeded'), count(*) FILTER (WHERE status = 'failed'), count(duration_ms), COALESCE(sum(duration_ms), 0),
       count(*) FILTER (WHERE bin = 0), count(*) FILTER (WHERE bin = 1), count(*) FILTER (WHERE bin = 2), count(*) FILTER (WHERE bin = 3), count(*) FILTER (WHERE bin = 4), count(*) FILTER (WHERE bin = 5),
       count(*) FILTER (WHERE bin = 6), count(*) FILTER (WHERE bin = 7), count(*) FILTER (WHERE bin = 8), count(*) FILTER (WHERE bin = 9), count(*) FILTER (WHERE bin = 10), count(*) FILTER (WHERE bin = 11),
       count(*) FILTER (WHERE bin = 12), count(*) FILTER (WHERE bin = 13), count(*) FILTER (WHERE bin = 14), count(*) FILTER (WHERE bin = 15), count(*) FILTER (WHERE bin = 16), count(*) FILTER (WHERE bin = 17),
       count(*) FILTER (WHERE bin = 18), count(*) FILTER (WHERE bin = 19), count(*) FILTER (WHERE bin = 20), count(*) FILTER (WHERE bin = 21), count(*) FILTER (WHERE bin = 22), count(*) FILTER (WHERE bin = 23),
       count(*) FILTER (WHERE bin = 24), count(*) FILTER (WHERE bin = 25), count(*) FILTER (WHERE bin = 26), count(*) FILTER (WHERE bin = 27), count(*) FILTER (WHERE bin = 28), count(*) FILTER (WHERE bin = 29),
       count(*) FILTER (WHERE bin = 30), count(*) FILTER (WHERE bin = 31), count(*) FILTER (WHERE bin = 32), count(*) FILTER (WHERE bin = 33), count(*) FILTER (WHERE bin = 34), count(*) FILTER (WHERE bin = 35),
       count(*) FILTER (WHERE bin = 36), count(*) FILTER (WHERE bin = 37), count(*) FILTER (WHERE bin = 38), count(*) FILTER (WHERE bin = 39), count(*) FILTER (WHERE bin = 40), count(*) FILTER (WHERE bin = 41),
       count(*) FILTER (WHERE bin = 42), count(*) FILTER (WHERE bin = 43), count(*) FILTER (WHERE bin = 44), count(*) FILTER (WHERE bin = 45), count(*) FILTER (WHERE bin = 46), count(*) FILTER (WHERE bin = 47),
       count(*) FILTER (WHERE bin = 48), count(*) FILTER (WHERE bin = 49), count(*) FILTER (WHERE bin = 50), count(*) FILTER (WHERE bin = 51), count(*) FILTER (WHERE bin = 52), count(*) FILTER (WHERE bin = 53),
       count(*) FILTER (WHERE bin = 54), count(*) FILTER (WHERE bin = 55), count(*) FILTER (WHERE bin = 56), count(*) FILTER (WHERE bin = 57), count(*) FILTER (WHERE bin = 58), count(*) FILTER (WHERE bin = 59),
       count(*) FILTER (WHERE bin = 60), count(*) FILTER (WHERE bin = 61), count(*) FILTER (WHERE bin = 62), count(*) FILTER (WHERE bin = 63)
  FROM t WHERE team_id IS NOT NULL GROUP BY team, bucket, tool_name, sub
UNION ALL
SELECT 'full', 'hour', src, proj, team, bucket, tool_name, sub, count(*) FILTER (WHERE status = 'succeeded'), count(*) FILTER (WHERE status = 'failed'), count(duration_ms), COALESCE(sum(duration_ms), 0),
       count(*) FILTER (WHERE bin = 0), count(*) FILTER (WHERE bin = 1), count(*) FILTER (WHERE bin = 2), count(*) FILTER (WHERE bin = 3), count(*) FILTER (WHERE bin = 4), count(*) FILTER (WHERE bin = 5),
       count(*) FILTER (WHERE bin = 6), count(*) FILTER (WHERE bin = 7), count(*) FILTER (WHERE bin = 8), count(*) FILTER (WHERE bin = 9), count(*) FILTER (WHERE bin = 10), count(*) FILTER (WHERE bin = 11),
       count(*) FILTER (WHERE bin = 12), count(*) FILTER (WHERE bin = 13), count(*) FILTER (WHERE bin = 14), count(*) FILTER (WHERE bin = 15), count(*) FILTER (WHERE bin = 16), count(*) FILTER (WHERE bin = 17),
       count(*) FILTER (WHERE bin = 18), count(*) FILTER (WHERE bin = 19), count(*) FILTER (WHERE bin = 20), count(*) FILTER (WHERE bin = 21), count(*) FILTER (WHERE bin = 22), count(*) FILTER (WHERE bin = 23),
       count(*) FILTER (WHERE bin = 24), count(*) FILTER (WHERE bin = 25), count(*) FILTER (WHERE bin = 26), count(*) FILTER (WHERE bin = 27), count(*) FILTER (WHERE bin = 28), count(*) FILTER (WHERE bin = 29),
       count(*) FILTER (WHERE bin = 30), count(*) FILTER (WHERE bin = 31), count(*) FILTER (WHERE bin = 32), count(*) FILTER (WHERE bin = 33), count(*) FILTER (WHERE bin = 34), count(*) FILTER (WHERE bin = 35),
       count(*) FILTER (WHERE bin = 36), count(*) FILTER (WHERE bin = 37), count(*) FILTER (WHERE bin = 38), count(*) FILTER (WHERE bin = 39), count(*) FILTER (WHERE bin = 40), count(*) FILTER (WHERE bin = 41),
       count(*) FILTER (WHERE bin = 42), count(*) FILTER (WHERE bin = 43), count(*) FILTER (WHERE bin = 44), count(*) FILTER (WHERE bin = 45), count(*) FILTER (WHERE bin = 46), count(*) FILTER (WHERE bin = 47),
       count(*) FILTER (WHERE bin = 48), count(*) FILTER (WHERE bin = 49), count(*) FILTER (WHERE bin = 50), count(*) FILTER (WHERE bin = 51), count(*) FILTER (WHERE bin = 52), count(*) FILTER (WHERE bin = 53),
       count(*) FILTER (WHERE bin = 54), count(*) FILTER (WHERE bin = 55), count(*) FILTER (WHERE bin = 56), count(*) FILTER (WHERE bin = 57), count(*) FILTER (WHERE bin = 58), count(*) FILTER (WHERE bin = 59),
       count(*) FILTER (WHERE bin = 60), count(*) FILTER (WHERE bin = 61), count(*) FILTER (WHERE bin = 62), count(*) FILTER (WHERE bin = 63)
  FROM t GROUP BY src, proj, team, bucket, tool_name, sub;
INSERT INTO tool_error_rollups (grain, span, source, project, team_id, bucket, tool_name, error, failures)
WITH t AS (
  SELECT (COALESCE(started_at, ended_at) / 3600000) * 3600000 AS bucket, tool_name, COALESCE(source, '') AS src, COALESCE(project, '') AS proj, COALESCE(team_id, '') AS team,
         project, team_id, substr(substr(error, 1, CASE WHEN instr(error, char(10)) > 0 THEN instr(error, char(10)) - 1 ELSE length(error) END), 1, 120) AS err
    FROM tool_uses WHERE status = 'failed' AND error IS NOT NULL
)
SELECT 'all', 'hour', '', '', '', bucket, tool_name, err, count(*) FROM t GROUP BY bucket, tool_name, err
UNION ALL
SELECT 'source', 'hour', src, '', '', bucket, tool_name, err, count(*) FROM t GROUP BY src, bucket, tool_name, err
UNION ALL
SELECT 'project', 'hour', '', proj, '', bucket, tool_name, err, count(*) FROM t WHERE project IS NOT NULL GROUP BY proj, bucket, tool_name, err
UNION ALL
SELECT 'team', 'hour', '', '', team, bucket, tool_name, err, count(*) FROM t WHERE team_id IS NOT NULL GROUP BY team, bucket, tool_name, err
UNION ALL
SELECT 'full', 'hour', src, proj, team, bucket, tool_name, err, count(*) FROM t GROUP BY src, proj, team, bucket, tool_name, err;
-- The day rows: the hour rows summed per UTC day.
INSERT INTO tool_rollups (grain, span, source, project, team_id, bucket, tool_name, subagent_type, succeeded, failed, timed, duration_sum_ms,
                          b00, b01, b02, b03, b04, b05, b06, b07, b08, b09, b10, b11, b12, b13, b14, b15, b16, b17, b18, b19, b20, b21, b22, b23, b24, b25, b26, b27, b28, b29, b30, b31, b32, b33, b34, b35, b36, b37, b38, b39, b40, b41, b42, b43, b44, b45, b46, b47, b48, b49, b50, b51, b52, b53, b54, b55, b56, b57, b58, b59, b60, b61, b62, b63)
SELECT grain, 'day', source, project, team_id, (bucket / 86400000) * 86400000, tool_name, subagent_type, sum(succeeded), sum(failed), sum(timed), sum(duration_sum_ms),
       sum(b00), sum(b01), sum(b02), sum(b03), sum(b04), sum(b05), sum(b06), sum(b07), sum(b08), sum(b09), sum(b10), sum(b11), sum(b12), sum(b13), sum(b14), sum(b15), sum(b16), sum(b17), sum(b18), sum(b19), sum(b20), sum(b21), sum(b22), sum(b23), sum(b24), sum(b25), sum(b26), sum(b27), sum(b28), sum(b29), sum(b30), sum(b31), sum(b32), sum(b33), sum(b34), sum(b35), sum(b36), sum(b37), sum(b38), sum(b39), sum(b40), sum(b41), sum(b42), sum(b43), sum(b44), sum(b45), sum(b46), sum(b47), sum(b48), sum(b49), sum(b50), sum(b51), sum(b52), sum(b53), sum(b54), sum(b55), sum(b56), sum(b57), sum(b58), sum(b59), sum(b60), sum(b61), sum(b62), sum(b63)
  FROM tool_rollups WHERE span = 'hour' GROUP BY grain, source, project, team_id, (bucket / 86400000) * 86400000, tool_name, subagent_type;
INSERT INTO tool_error_rollups (grain, span, source, project, team_id, bucket, tool_name, error, failures)
SELECT grain, 'day', source, project, team_id, (bucket / 86400000) * 86400000, tool_name, error, sum(failures)
  FROM tool_error_rollups WHERE span = 'hour' GROUP BY grain, source, project, team_id, (bucket / 86400000) * 86400000, tool_name, error;

-- The rules of the workflow pattern and the success score are documented in the README
-- ("Analytics"); both are computed here from the session's counters, so every reader
-- (views, functions, the HTTP API, the CLI) uses this one definition.
CREATE VIEW session_intelligence_summary AS
SELECT session_id, source, project, team_id, user, host, model,
       started_at AS session_start, ended_at AS session_end, end_reason, last_activity_at,
       COALESCE(ended_at, last_activity_at) - started_at AS duration_ms,
       events AS total_events, prompts, tool_calls, tools_succeeded AS successful_tools, tools_failed AS failed_tools,
       CASE WHEN (tools_succeeded + tools_failed) > 0 THEN ((2000 * tools_succeeded + (tools_succeeded + tools_failed)) / (2 * (tools_succeeded + tools_failed))) / 10.0 END AS success_rate_pct,
       subagents AS subagents_used, explore_calls, edit_calls, test_runs, delegate_calls, research_calls,
       CASE
           WHEN tool_calls = 0 THEN 'chat'
           WHEN delegate_calls >= 3 OR delegate_calls * 4 >= tool_calls THEN 'delegating'
           WHEN research_calls * 4 >= tool_calls THEN 'research'
           WHEN edit_calls > 0 AND test_runs >= 2 THEN 'edit-test loop'
           WHEN edit_calls > 0 THEN 'editing'
           WHEN explore_calls * 2 >= tool_calls THEN 'explore'
           ELSE 'mixed'
         END AS workflow_pattern,
       CASE WHEN (tools_succeeded + tools_failed) = 0 THEN 70 ELSE (140 * tools_succeeded + (tools_succeeded + tools_failed)) / (2 * (tools_succeeded + tools_failed)) END
         + CASE WHEN ended_at IS NOT NULL AND COALESCE(end_reason, '') <> 'stale' THEN 20 ELSE 0 END
         + CASE WHEN tools_succeeded > 0 THEN 10 ELSE 0 END AS success_score
  FROM sessions;

-- Completed calls per tool, all time. Durations: mean exact, percentiles from the bins.
CREATE VIEW tool_success_rates AS
WITH totals AS (
  SELECT tool_name, sum(succeeded) AS successful_uses, sum(failed) AS failed_uses, sum(timed) AS timed_uses,
         sum(duration_sum_ms) AS duration_sum_ms,
         sum(b00) AS b00, sum(b01) AS b01, sum(b02) AS b02, sum(b03) AS b03, sum(b04) AS b04, sum(b05) AS b05, sum(b06) AS b06, sum(b07) AS b07,
         sum(b08) AS b08, sum(b09) AS b09, sum(b10) AS b10, sum(b11) AS b11, sum(b12) AS b12, sum(b13) AS b13, sum(b14) AS b14, sum(b15) AS b15,
         sum(b16) AS b16, sum(b17) AS b17, sum(b18) AS b18, sum(b19) AS b19, sum(b20) AS b20, sum(b21) AS b21, sum(b22) AS b22, sum(b23) AS b23,
         sum(b24) AS b24, sum(b25) AS b25, sum(b26) AS b26, sum(b27) AS b27, sum(b28) AS b28, sum(b29) AS b29, sum(b30) AS b30, sum(b31) AS b31,
         sum(b32) AS b32, sum(b33) AS b33, sum(b34) AS b34, sum(b35) AS b35, sum(b36) AS b36, sum(b37) AS b37, sum(b38) AS b38, sum(b39) AS b39,
         sum(b40) AS b40, sum(b41) AS b41, sum(b42) AS b42, sum(b43) AS b43, sum(b44) AS b44, sum(b45) AS b45, sum(b46) AS b46, sum(b47) AS b47,
         sum(b48) AS b48, sum(b49) AS b49, sum(b50) AS b50, sum(b51) AS b51, sum(b52) AS b52, sum(b53) AS b53, sum(b54) AS b54, sum(b55) AS b55,
         sum(b56) AS b56, sum(b57) AS b57, sum(b58) AS b58, sum(b59) AS b59, sum(b60) AS b60, sum(b61) AS b61, sum(b62) AS b62, sum(b63) AS b63
    FROM tool_rollups WHERE grain = 'all' AND span = 'day' GROUP BY tool_name
   HAVING sum(succeeded) + sum(failed) > 0
), bins AS (
  SELECT tool_name, CAST(j.key AS INTEGER) AS bin, j.value AS n FROM totals, json_each(json_array(b00, b01, b02, b03, b04, b05, b06, b07, b08, b09, b10, b11, b12, b13, b14, b15, b16, b17, b18, b19, b20, b21, b22, b23, b24, b25, b26, b27, b28, b29, b30, b31, b32, b33, b34, b35, b36, b37, b38, b39, b40, b41, b42, b43, b44, b45, b46, b47, b48, b49, b50, b51, b52, b53, b54, b55, b56, b57, b58, b59, b60, b61, b62, b63)) AS j WHERE j.value > 0
), running AS (
  SELECT b.tool_name, b.bin, sum(b.n) OVER (PARTITION BY b.tool_name ORDER BY b.bin) AS running, t.timed_uses AS total
    FROM bins b JOIN totals t ON t.tool_name = b.tool_name
), pct AS (
  SELECT tool_name, min(CASE WHEN running * 100 >= 50 * total THEN bin END) AS p50, min(CASE WHEN running * 100 >= 95 * total THEN bin END) AS p95 FROM running GROUP BY tool_name
)
SELECT t.tool_name, t.successful_uses + t.failed_uses AS total_uses, t.successful_uses, t.failed_uses,
       ((2000 * t.successful_uses + (t.successful_uses + t.failed_uses)) / (2 * (t.successful_uses + t.failed_uses))) / 10.0 AS success_rate_pct,
       CASE WHEN t.timed_uses > 0 THEN (2 * t.duration_sum_ms + t.timed_uses) / (2 * t.timed_uses) END AS avg_duration_ms,
       (SELECT mid_ms FROM duration_bins WHERE bin = p.p50) AS p50_duration_ms,
       (SELECT mid_ms FROM duration_bins WHERE bin = p.p95) AS p95_duration_ms,
       (SELECT e.error FROM tool_error_rollups e WHERE e.grain = 'all' AND e.span = 'day' AND e.tool_name = t.tool_name
         GROUP BY e.error HAVING sum(e.failures) > 0 ORDER BY sum(e.failures) DESC, e.error LIMIT 1) AS most_common_error
  FROM totals t LEFT JOIN pct p ON p.tool_name = t.tool_name;

CREATE VIEW workflow_pattern_distribution AS
SELECT workflow_pattern, count(*) AS sessions, ((2000 * count(*) + sum(count(*)) OVER ()) / (2 * sum(count(*)) OVER ())) / 10.0 AS share_pct
  FROM session_intelligence_summary GROUP BY workflow_pattern;

-- Subagents started by Task calls, per subagent type: completed calls from the rollups, distinct sessions from
-- the (few) Task rows of tool_uses.
CREATE VIEW agent_usage_patterns AS
WITH totals AS (
  SELECT subagent_type, sum(succeeded) AS successful_uses, sum(failed) AS failed_uses, sum(timed) AS timed_uses,
         sum(duration_sum_ms) AS duration_sum_ms,
         sum(b00) AS b00, sum(b01) AS b01, sum(b02) AS b02, sum(b03) AS b03, sum(b04) AS b04, sum(b05) AS b05, sum(b06) AS b06, sum(b07) AS b07,
         sum(b08) AS b08, sum(b09) AS b09, sum(b10) AS b10, sum(b11) AS b11, sum(b12) AS b12, sum(b13) AS b13, sum(b14) AS b14, sum(b15) AS b15,
         sum(b16) AS b16, sum(b17) AS b17, sum(b18) AS b18, sum(b19) AS b19, sum(b20) AS b20, sum(b21) AS b21, sum(b22) AS b22, sum(b23) AS b23,
         sum(b24) AS b24, sum(b25) AS b25, sum(b26) AS b26, sum(b27) AS b27, sum(b28) AS b28, sum(b29) AS b29, sum(b30) AS b30, sum(b31) AS b31,
         sum(b32) AS b32, sum(b33) AS b33, sum(b34) AS b34, sum(b35) AS b35, sum(b36) AS b36, sum(b37) AS b37, sum(b38) AS b38, sum(b39) AS b39,
         sum(b40) AS b40, sum(b41) AS b41, sum(b42) AS b42, sum(b43) AS b43, sum(b44) AS b44, sum(b45) AS b45, sum(b46) AS b46, sum(b47) AS b47,
         sum(b48) AS b48, sum(b49) AS b49, sum(b50) AS b50, sum(b51) AS b51, sum(b52) AS b52, sum(b53) AS b53, sum(b54) AS b54, sum(b55) AS b55,
         sum(b56) AS b56, sum(b57) AS b57, sum(b58) AS b58, sum(b59) AS b59, sum(b60) AS b60, sum(b61) AS b61, sum(b62) AS b62, sum(b63) AS b63
    FROM tool_rollups WHERE grain = 'all' AND span = 'day' AND subagent_type <> '' GROUP BY subagent_type
   HAVING sum(succeeded) + sum(failed) > 0
), bins AS (
  SELECT subagent_type, CAST(j.key AS INTEGER) AS bin, j.value AS n FROM totals, json_each(json_array(b00, b01, b02, b03, b04, b05, b06, b07, b08, b09, b10, b11, b12, b13, b14, b15, b16, b17, b18, b19, b20, b21, b22, b23, b24, b25, b26, b27, b28, b29, b30, b31, b32, b33, b34, b35, b36, b37, b38, b39, b40, b41, b42, b43, b44, b45, b46, b47, b48, b49, b50, b51, b52, b53, b54, b55, b56, b57, b58, b59, b60, b61, b62, b63)) AS j WHERE j.value > 0
), running AS (
  SELECT b.subagent_type, b.bin, sum(b.n) OVER (PARTITION BY b.subagent_type ORDER BY b.bin) AS running, t.timed_uses AS total
    FROM bins b JOIN totals t ON t.subagent_type = b.subagent_type
), pct AS (
  SELECT subagent_type, min(CASE WHEN running * 100 >= 50 * total THEN bin END) AS p50, min(CASE WHEN running * 100 >= 95 * total THEN bin END) AS p95 FROM running GROUP BY subagent_type
), used AS (
  SELECT subagent_type, count(DISTINCT session_id) AS sessions FROM tool_uses WHERE subagent_type IS NOT NULL AND status <> 'running' GROUP BY subagent_type
)
SELECT t.subagent_type AS agent_type, t.successful_uses + t.failed_uses AS invocations, u.sessions, t.successful_uses, t.failed_uses,
       ((2000 * t.successful_uses + (t.successful_uses + t.failed_uses)) / (2 * (t.successful_uses + t.failed_uses))) / 10.0 AS success_rate_pct,
       CASE WHEN t.timed_uses > 0 THEN (2 * t.duration_sum_ms + t.timed_uses) / (2 * t.timed_uses) END AS avg_duration_ms,
       (SELECT mid_ms FROM duration_bins WHERE bin = p.p50) AS p50_duration_ms,
       (SELECT mid_ms FROM duration_bins WHERE bin = p.p95) AS p95_duration_ms
  FROM totals t LEFT JOIN pct p ON p.subagent_type = t.subagent_type LEFT JOIN used u ON u.subagent_type = t.subagent_type;

-- Distributions, nearest rank: session success scores per source (exact), tool durations per tool (bins).
CREATE VIEW quality_metrics_summary AS
WITH scores AS (
  SELECT source, success_score, row_number() OVER (PARTITION BY source ORDER BY success_score) AS running,
         count(*) OVER (PARTITION BY source) AS total
    FROM session_intelligence_summary
), totals AS (
  SELECT tool_name, sum(succeeded) AS successful_uses, sum(failed) AS failed_uses, sum(timed) AS timed_uses,
         sum(duration_sum_ms) AS duration_sum_ms,
         sum(b00) AS b00, sum(b01) AS b01, sum(b02) AS b02, sum(b03) AS b03, sum(b04) AS b04, sum(b05) AS b05, sum(b06) AS b06, sum(b07) AS b07,
         sum(b08) AS b08, sum(b09) AS b09, sum(b10) AS b10, sum(b11) AS b11, sum(b12) AS b12, sum(b13) AS b13, sum(b14) AS b14, sum(b15) AS b15,
         sum(b16) AS b16, sum(b17) AS b17, sum(b18) AS b18, sum(b19) AS b19, sum(b20) AS b20, sum(b21) AS b21, sum(b22) AS b22, sum(b23) AS b23,
         sum(b24) AS b24, sum(b25) AS b25, sum(b26) AS b26, sum(b27) AS b27, sum(b28) AS b28, sum(b29) AS b29, sum(b30) AS b30, sum(b31) AS b31,
         sum(b32) AS b32, sum(b33) AS b33, sum(b34) AS b34, sum(b35) AS b35, sum(b36) AS b36, sum(b37) AS b37, sum(b38) AS b38, sum(b39) AS b39,
         sum(b40) AS b40, sum(b41) AS b41, sum(b42) AS b42, sum(b43) AS b43, sum(b44) AS b44, sum(b45) AS b45, sum(b46) AS b46, sum(b47) AS b47,
         sum(b48) AS b48, sum(b49) AS b49, sum(b50) AS b50, sum(b51) AS b51, sum(b52) AS b52, sum(b53) AS b53, sum(b54) AS b54, sum(b55) AS b55,
         sum(b56) AS b56, sum(b57) AS b57, sum(b58) AS b58, sum(b59) AS b59, sum(b60) AS b60, sum(b61) AS b61, sum(b62) AS b62, sum(b63) AS b63
    FROM tool_rollups WHERE grain = 'all' AND span = 'day' GROUP BY tool_name
   HAVING sum(succeeded) + sum(failed) > 0
), bins AS (
  SELECT tool_name, CAST(j.key AS INTEGER) AS bin, j.value AS n FROM totals, json_each(json_array(b00, b01, b02, b03, b04, b05, b06, b07, b08, b09, b10, b11, b12, b13, b14, b15, b16, b17, b18, b19, b20, b21, b22, b23, b24, b25, b26, b27, b28, b29, b30, b31, b32, b33, b34, b35, b36, b37, b38, b39, b40, b41, b42, b43, b44, b45, b46, b47, b48, b49, b50, b51, b52, b53, b54, b55, b56, b57, b58, b59, b60, b61, b62, b63)) AS j WHERE j.value > 0
), running AS (
  SELECT b.tool_name, b.bin, sum(b.n) OVER (PARTITION BY b.tool_name ORDER BY b.bin) AS running, t.timed_uses AS total
    FROM bins b JOIN totals t ON t.tool_name = b.tool_name
), pct AS (
  SELECT tool_name, total, min(CASE WHEN running * 100 >= 50 * total THEN bin END) AS p50, min(CASE WHEN running * 100 >= 90 * total THEN bin END) AS p90, min(CASE WHEN running * 100 >= 95 * total THEN bin END) AS p95, min(CASE WHEN running * 100 >= 99 * total THEN bin END) AS p99
    FROM running GROUP BY tool_name, total
)
SELECT 'session_success_score' AS metric, source AS dimension, total AS samples,
       min(CASE WHEN running * 100 >= 50 * total THEN success_score END) AS p50, min(CASE WHEN running * 100 >= 90 * total THEN success_score END) AS p90,
       min(CASE WHEN running * 100 >= 95 * total THEN success_score END) AS p95, min(CASE WHEN running * 100 >= 99 * total THEN success_score END) AS p99
  FROM scores GROUP BY source, total
UNION ALL
SELECT 'tool_duration_ms', tool_name, total, (SELECT mid_ms FROM duration_bins WHERE bin = p50), (SELECT mid_ms FROM duration_bins WHERE bin = p90), (SELECT mid_ms FROM duration_bins WHERE bin = p95), (SELECT mid_ms FROM duration_bins WHERE bin = p99)
  FROM pct;
