-- Analytics (the five views and, on PostgreSQL, four functions) read rollups kept up to
-- date by the derivation passes, never raw events or the JSON payloads. The rollups are
-- a pure function of the tool_uses rows: every pass adds what a row contributes now and
-- takes away what it contributed before (src/modules/analytics/tool-use-contribution.ts),
-- and deleting a session takes its rows' contributions away. This migration fills them
-- from the rows already there, by the same rules.

-- Per-session counters the workflow pattern and success score are computed from.
ALTER TABLE sessions ADD COLUMN tools_succeeded bigint NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN tools_failed bigint NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN explore_calls bigint NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN edit_calls bigint NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN test_runs bigint NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN delegate_calls bigint NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN research_calls bigint NOT NULL DEFAULT 0;
CREATE INDEX sessions_started_idx ON sessions (started_at);

-- The session's source, project and team as they were when the call was last derived: the
-- rollup rows the call counts in, so taking its contribution away later finds them even
-- if the session's project changed since.
ALTER TABLE tool_uses ADD COLUMN source text;
ALTER TABLE tool_uses ADD COLUMN project text;
ALTER TABLE tool_uses ADD COLUMN team_id text;
-- Subagent (Task) calls: the few rows the agents view counts distinct sessions over. In
-- session order per type, and holding every column that count filters on, so it is read
-- from the index alone (once vacuumed), with no sort.
CREATE INDEX tool_uses_subagent_idx ON tool_uses (subagent_type, session_id)
  INCLUDE (status, started_at, ended_at, source, project, team_id) WHERE subagent_type IS NOT NULL;

-- Duration bins of the histograms (src/modules/analytics/duration-bins.ts): [lower_ms, upper_ms),
-- and the value a percentile falling in the bin reports.
CREATE TABLE duration_bins (
  bin      integer PRIMARY KEY,
  lower_ms bigint NOT NULL,
  upper_ms bigint,
  mid_ms   bigint NOT NULL
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
  grain           text NOT NULL,
  span            text NOT NULL CHECK (span IN ('hour', 'day')),
  source          text NOT NULL,
  project         text NOT NULL,
  team_id         text NOT NULL,
  bucket          timestamptz NOT NULL,
  tool_name       text NOT NULL,
  subagent_type   text NOT NULL,
  succeeded       bigint NOT NULL,
  failed          bigint NOT NULL,
  timed           bigint NOT NULL,
  duration_sum_ms bigint NOT NULL,
  b00 integer NOT NULL DEFAULT 0, b01 integer NOT NULL DEFAULT 0, b02 integer NOT NULL DEFAULT 0, b03 integer NOT NULL DEFAULT 0,
  b04 integer NOT NULL DEFAULT 0, b05 integer NOT NULL DEFAULT 0, b06 integer NOT NULL DEFAULT 0, b07 integer NOT NULL DEFAULT 0,
  b08 integer NOT NULL DEFAULT 0, b09 integer NOT NULL DEFAULT 0, b10 integer NOT NULL DEFAULT 0, b11 integer NOT NULL DEFAULT 0,
  b12 integer NOT NULL DEFAULT 0, b13 integer NOT NULL DEFAULT 0, b14 integer NOT NULL DEFAULT 0, b15 integer NOT NULL DEFAULT 0,
  b16 integer NOT NULL DEFAULT 0, b17 integer NOT NULL DEFAULT 0, b18 integer NOT NULL DEFAULT 0, b19 integer NOT NULL DEFAULT 0,
  b20 integer NOT NULL DEFAULT 0, b21 integer NOT NULL DEFAULT 0, b22 integer NOT NULL DEFAULT 0, b23 integer NOT NULL DEFAULT 0,
  b24 integer NOT NULL DEFAULT 0, b25 integer NOT NULL DEFAULT 0, b26 integer NOT NULL DEFAULT 0, b27 integer NOT NULL DEFAULT 0,
  b28 integer NOT NULL DEFAULT 0, b29 integer NOT NULL DEFAULT 0, b30 integer NOT NULL DEFAULT 0, b31 integer NOT NULL DEFAULT 0,
  b32 integer NOT NULL DEFAULT 0, b33 integer NOT NULL DEFAULT 0, b34 integer NOT NULL DEFAULT 0, b35 integer NOT NULL DEFAULT 0,
  b36 integer NOT NULL DEFAULT 0, b37 integer NOT NULL DEFAULT 0, b38 integer NOT NULL DEFAULT 0, b39 integer NOT NULL DEFAULT 0,
  b40 integer NOT NULL DEFAULT 0, b41 integer NOT NULL DEFAULT 0, b42 integer NOT NULL DEFAULT 0, b43 integer NOT NULL DEFAULT 0,
  b44 integer NOT NULL DEFAULT 0, b45 integer NOT NULL DEFAULT 0, b46 integer NOT NULL DEFAULT 0, b47 integer NOT NULL DEFAULT 0,
  b48 integer NOT NULL DEFAULT 0, b49 integer NOT NULL DEFAULT 0, b50 integer NOT NULL DEFAULT 0, b51 integer NOT NULL DEFAULT 0,
  b52 integer NOT NULL DEFAULT 0, b53 integer NOT NULL DEFAULT 0, b54 integer NOT NULL DEFAULT 0, b55 integer NOT NULL DEFAULT 0,
  b56 integer NOT NULL DEFAULT 0, b57 integer NOT NULL DEFAULT 0, b58 integer NOT NULL DEFAULT 0, b59 integer NOT NULL DEFAULT 0,
  b60 integer NOT NULL DEFAULT 0, b61 integer NOT NULL DEFAULT 0, b62 integer NOT NULL DEFAULT 0, b63 integer NOT NULL DEFAULT 0,
  PRIMARY KEY (grain, span, source, project, team_id, bucket, tool_name, subagent_type)
);
CREATE INDEX tool_rollups_subagent_idx ON tool_rollups (grain, span, subagent_type, bucket) WHERE subagent_type <> '';

-- Failed calls per error (the first line of the error, at most 120 characters), same keys.
CREATE TABLE tool_error_rollups (
  grain     text NOT NULL,
  span      text NOT NULL CHECK (span IN ('hour', 'day')),
  source    text NOT NULL,
  project   text NOT NULL,
  team_id   text NOT NULL,
  bucket    timestamptz NOT NULL,
  tool_name text NOT NULL,
  error     text NOT NULL,
  failures  bigint NOT NULL,
  PRIMARY KEY (grain, span, source, project, team_id, bucket, tool_name, error)
);

-- Fill from what is there.
UPDATE tool_uses t SET source = s.source, project = s.project, team_id = s.team_id FROM sessions s WHERE s.session_id = t.session_id;
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
  SELECT date_trunc('hour', COALESCE(started_at, ended_at)) AS bucket, tool_name, COALESCE(subagent_type, '') AS sub,
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
  SELECT date_trunc('hour', COALESCE(started_at, ended_at)) AS bucket, tool_name, COALESCE(source, '') AS src, COALESCE(project, '') AS proj, COALESCE(team_id, '') AS team,
         project, team_id, left(split_part(error, E'\n', 1), 120) AS err
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
SELECT grain, 'day', source, project, team_id, date_trunc('day', bucket, 'UTC'), tool_name, subagent_type, sum(succeeded), sum(failed), sum(timed), sum(duration_sum_ms),
       sum(b00), sum(b01), sum(b02), sum(b03), sum(b04), sum(b05), sum(b06), sum(b07), sum(b08), sum(b09), sum(b10), sum(b11), sum(b12), sum(b13), sum(b14), sum(b15), sum(b16), sum(b17), sum(b18), sum(b19), sum(b20), sum(b21), sum(b22), sum(b23), sum(b24), sum(b25), sum(b26), sum(b27), sum(b28), sum(b29), sum(b30), sum(b31), sum(b32), sum(b33), sum(b34), sum(b35), sum(b36), sum(b37), sum(b38), sum(b39), sum(b40), sum(b41), sum(b42), sum(b43), sum(b44), sum(b45), sum(b46), sum(b47), sum(b48), sum(b49), sum(b50), sum(b51), sum(b52), sum(b53), sum(b54), sum(b55), sum(b56), sum(b57), sum(b58), sum(b59), sum(b60), sum(b61), sum(b62), sum(b63)
  FROM tool_rollups WHERE span = 'hour' GROUP BY grain, source, project, team_id, date_trunc('day', bucket, 'UTC'), tool_name, subagent_type;
INSERT INTO tool_error_rollups (grain, span, source, project, team_id, bucket, tool_name, error, failures)
SELECT grain, 'day', source, project, team_id, date_trunc('day', bucket, 'UTC'), tool_name, error, sum(failures)
  FROM tool_error_rollups WHERE span = 'hour' GROUP BY grain, source, project, team_id, date_trunc('day', bucket, 'UTC'), tool_name, error;

-- The rules of the workflow pattern and the success score are documented in the README
-- ("Analytics"); both are computed here from the session's counters, so every reader
-- (views, functions, the HTTP API, the CLI) uses this one definition.
CREATE VIEW session_intelligence_summary AS
SELECT session_id, source, project, team_id, "user", host, model,
       started_at AS session_start, ended_at AS session_end, end_reason, last_activity_at,
       (extract(epoch FROM COALESCE(ended_at, last_activity_at) - started_at) * 1000)::bigint AS duration_ms,
       events AS total_events, prompts, tool_calls, tools_succeeded AS successful_tools, tools_failed AS failed_tools,
       CASE WHEN (tools_succeeded + tools_failed) > 0 THEN round(((2000 * tools_succeeded + (tools_succeeded + tools_failed)) / (2 * (tools_succeeded + tools_failed)))::numeric / 10, 1) END AS success_rate_pct,
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
  SELECT tool_name, sum(succeeded)::bigint AS successful_uses, sum(failed)::bigint AS failed_uses, sum(timed)::bigint AS timed_uses,
         sum(duration_sum_ms)::bigint AS duration_sum_ms,
         sum(b00)::bigint AS b00, sum(b01)::bigint AS b01, sum(b02)::bigint AS b02, sum(b03)::bigint AS b03, sum(b04)::bigint AS b04, sum(b05)::bigint AS b05, sum(b06)::bigint AS b06, sum(b07)::bigint AS b07,
         sum(b08)::bigint AS b08, sum(b09)::bigint AS b09, sum(b10)::bigint AS b10, sum(b11)::bigint AS b11, sum(b12)::bigint AS b12, sum(b13)::bigint AS b13, sum(b14)::bigint AS b14, sum(b15)::bigint AS b15,
         sum(b16)::bigint AS b16, sum(b17)::bigint AS b17, sum(b18)::bigint AS b18, sum(b19)::bigint AS b19, sum(b20)::bigint AS b20, sum(b21)::bigint AS b21, sum(b22)::bigint AS b22, sum(b23)::bigint AS b23,
         sum(b24)::bigint AS b24, sum(b25)::bigint AS b25, sum(b26)::bigint AS b26, sum(b27)::bigint AS b27, sum(b28)::bigint AS b28, sum(b29)::bigint AS b29, sum(b30)::bigint AS b30, sum(b31)::bigint AS b31,
         sum(b32)::bigint AS b32, sum(b33)::bigint AS b33, sum(b34)::bigint AS b34, sum(b35)::bigint AS b35, sum(b36)::bigint AS b36, sum(b37)::bigint AS b37, sum(b38)::bigint AS b38, sum(b39)::bigint AS b39,
         sum(b40)::bigint AS b40, sum(b41)::bigint AS b41, sum(b42)::bigint AS b42, sum(b43)::bigint AS b43, sum(b44)::bigint AS b44, sum(b45)::bigint AS b45, sum(b46)::bigint AS b46, sum(b47)::bigint AS b47,
         sum(b48)::bigint AS b48, sum(b49)::bigint AS b49, sum(b50)::bigint AS b50, sum(b51)::bigint AS b51, sum(b52)::bigint AS b52, sum(b53)::bigint AS b53, sum(b54)::bigint AS b54, sum(b55)::bigint AS b55,
         sum(b56)::bigint AS b56, sum(b57)::bigint AS b57, sum(b58)::bigint AS b58, sum(b59)::bigint AS b59, sum(b60)::bigint AS b60, sum(b61)::bigint AS b61, sum(b62)::bigint AS b62, sum(b63)::bigint AS b63
    FROM tool_rollups WHERE grain = 'all' AND span = 'day' GROUP BY tool_name
   HAVING sum(succeeded)::bigint + sum(failed)::bigint > 0
), bins AS (
  SELECT tool_name, (u.ord - 1)::integer AS bin, u.n FROM totals, unnest(ARRAY[b00, b01, b02, b03, b04, b05, b06, b07, b08, b09, b10, b11, b12, b13, b14, b15, b16, b17, b18, b19, b20, b21, b22, b23, b24, b25, b26, b27, b28, b29, b30, b31, b32, b33, b34, b35, b36, b37, b38, b39, b40, b41, b42, b43, b44, b45, b46, b47, b48, b49, b50, b51, b52, b53, b54, b55, b56, b57, b58, b59, b60, b61, b62, b63]) WITH ORDINALITY AS u(n, ord) WHERE u.n > 0
), running AS (
  SELECT b.tool_name, b.bin, sum(b.n) OVER (PARTITION BY b.tool_name ORDER BY b.bin) AS running, t.timed_uses AS total
    FROM bins b JOIN totals t ON t.tool_name = b.tool_name
), pct AS (
  SELECT tool_name, min(CASE WHEN running * 100 >= 50 * total THEN bin END) AS p50, min(CASE WHEN running * 100 >= 95 * total THEN bin END) AS p95 FROM running GROUP BY tool_name
)
SELECT t.tool_name, t.successful_uses + t.failed_uses AS total_uses, t.successful_uses, t.failed_uses,
       round(((2000 * t.successful_uses + (t.successful_uses + t.failed_uses)) / (2 * (t.successful_uses + t.failed_uses)))::numeric / 10, 1) AS success_rate_pct,
       CASE WHEN t.timed_uses > 0 THEN (2 * t.duration_sum_ms + t.timed_uses) / (2 * t.timed_uses) END AS avg_duration_ms,
       (SELECT mid_ms FROM duration_bins WHERE bin = p.p50) AS p50_duration_ms,
       (SELECT mid_ms FROM duration_bins WHERE bin = p.p95) AS p95_duration_ms,
       (SELECT e.error FROM tool_error_rollups e WHERE e.grain = 'all' AND e.span = 'day' AND e.tool_name = t.tool_name
         GROUP BY e.error HAVING sum(e.failures) > 0 ORDER BY sum(e.failures) DESC, e.error LIMIT 1) AS most_common_error
  FROM totals t LEFT JOIN pct p ON p.tool_name = t.tool_name;

CREATE VIEW workflow_pattern_distribution AS
SELECT workflow_pattern, count(*) AS sessions, round(((2000 * count(*) + (sum(count(*)) OVER ())::bigint) / (2 * (sum(count(*)) OVER ())::bigint))::numeric / 10, 1) AS share_pct
  FROM session_intelligence_summary GROUP BY workflow_pattern;

-- Subagents started by Task calls, per subagent type: completed calls from the rollups, distinct sessions from
-- the (few) Task rows of tool_uses.
CREATE VIEW agent_usage_patterns AS
WITH totals AS (
  SELECT subagent_type, sum(succeeded)::bigint AS successful_uses, sum(failed)::bigint AS failed_uses, sum(timed)::bigint AS timed_uses,
         sum(duration_sum_ms)::bigint AS duration_sum_ms,
         sum(b00)::bigint AS b00, sum(b01)::bigint AS b01, sum(b02)::bigint AS b02, sum(b03)::bigint AS b03, sum(b04)::bigint AS b04, sum(b05)::bigint AS b05, sum(b06)::bigint AS b06, sum(b07)::bigint AS b07,
         sum(b08)::bigint AS b08, sum(b09)::bigint AS b09, sum(b10)::bigint AS b10, sum(b11)::bigint AS b11, sum(b12)::bigint AS b12, sum(b13)::bigint AS b13, sum(b14)::bigint AS b14, sum(b15)::bigint AS b15,
         sum(b16)::bigint AS b16, sum(b17)::bigint AS b17, sum(b18)::bigint AS b18, sum(b19)::bigint AS b19, sum(b20)::bigint AS b20, sum(b21)::bigint AS b21, sum(b22)::bigint AS b22, sum(b23)::bigint AS b23,
         sum(b24)::bigint AS b24, sum(b25)::bigint AS b25, sum(b26)::bigint AS b26, sum(b27)::bigint AS b27, sum(b28)::bigint AS b28, sum(b29)::bigint AS b29, sum(b30)::bigint AS b30, sum(b31)::bigint AS b31,
         sum(b32)::bigint AS b32, sum(b33)::bigint AS b33, sum(b34)::bigint AS b34, sum(b35)::bigint AS b35, sum(b36)::bigint AS b36, sum(b37)::bigint AS b37, sum(b38)::bigint AS b38, sum(b39)::bigint AS b39,
         sum(b40)::bigint AS b40, sum(b41)::bigint AS b41, sum(b42)::bigint AS b42, sum(b43)::bigint AS b43, sum(b44)::bigint AS b44, sum(b45)::bigint AS b45, sum(b46)::bigint AS b46, sum(b47)::bigint AS b47,
         sum(b48)::bigint AS b48, sum(b49)::bigint AS b49, sum(b50)::bigint AS b50, sum(b51)::bigint AS b51, sum(b52)::bigint AS b52, sum(b53)::bigint AS b53, sum(b54)::bigint AS b54, sum(b55)::bigint AS b55,
         sum(b56)::bigint AS b56, sum(b57)::bigint AS b57, sum(b58)::bigint AS b58, sum(b59)::bigint AS b59, sum(b60)::bigint AS b60, sum(b61)::bigint AS b61, sum(b62)::bigint AS b62, sum(b63)::bigint AS b63
    FROM tool_rollups WHERE grain = 'all' AND span = 'day' AND subagent_type <> '' GROUP BY subagent_type
   HAVING sum(succeeded)::bigint + sum(failed)::bigint > 0
), bins AS (
  SELECT subagent_type, (u.ord - 1)::integer AS bin, u.n FROM totals, unnest(ARRAY[b00, b01, b02, b03, b04, b05, b06, b07, b08, b09, b10, b11, b12, b13, b14, b15, b16, b17, b18, b19, b20, b21, b22, b23, b24, b25, b26, b27, b28, b29, b30, b31, b32, b33, b34, b35, b36, b37, b38, b39, b40, b41, b42, b43, b44, b45, b46, b47, b48, b49, b50, b51, b52, b53, b54, b55, b56, b57, b58, b59, b60, b61, b62, b63]) WITH ORDINALITY AS u(n, ord) WHERE u.n > 0
), running AS (
  SELECT b.subagent_type, b.bin, sum(b.n) OVER (PARTITION BY b.subagent_type ORDER BY b.bin) AS running, t.timed_uses AS total
    FROM bins b JOIN totals t ON t.subagent_type = b.subagent_type
), pct AS (
  SELECT subagent_type, min(CASE WHEN running * 100 >= 50 * total THEN bin END) AS p50, min(CASE WHEN running * 100 >= 95 * total THEN bin END) AS p95 FROM running GROUP BY subagent_type
), used AS (
  SELECT subagent_type, count(DISTINCT session_id) AS sessions FROM tool_uses WHERE subagent_type IS NOT NULL AND status <> 'running' GROUP BY subagent_type
)
SELECT t.subagent_type AS agent_type, t.successful_uses + t.failed_uses AS invocations, u.sessions, t.successful_uses, t.failed_uses,
       round(((2000 * t.successful_uses + (t.successful_uses + t.failed_uses)) / (2 * (t.successful_uses + t.failed_uses)))::numeric / 10, 1) AS success_rate_pct,
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
  SELECT tool_name, sum(succeeded)::bigint AS successful_uses, sum(failed)::bigint AS failed_uses, sum(timed)::bigint AS timed_uses,
         sum(duration_sum_ms)::bigint AS duration_sum_ms,
         sum(b00)::bigint AS b00, sum(b01)::bigint AS b01, sum(b02)::bigint AS b02, sum(b03)::bigint AS b03, sum(b04)::bigint AS b04, sum(b05)::bigint AS b05, sum(b06)::bigint AS b06, sum(b07)::bigint AS b07,
         sum(b08)::bigint AS b08, sum(b09)::bigint AS b09, sum(b10)::bigint AS b10, sum(b11)::bigint AS b11, sum(b12)::bigint AS b12, sum(b13)::bigint AS b13, sum(b14)::bigint AS b14, sum(b15)::bigint AS b15,
         sum(b16)::bigint AS b16, sum(b17)::bigint AS b17, sum(b18)::bigint AS b18, sum(b19)::bigint AS b19, sum(b20)::bigint AS b20, sum(b21)::bigint AS b21, sum(b22)::bigint AS b22, sum(b23)::bigint AS b23,
         sum(b24)::bigint AS b24, sum(b25)::bigint AS b25, sum(b26)::bigint AS b26, sum(b27)::bigint AS b27, sum(b28)::bigint AS b28, sum(b29)::bigint AS b29, sum(b30)::bigint AS b30, sum(b31)::bigint AS b31,
         sum(b32)::bigint AS b32, sum(b33)::bigint AS b33, sum(b34)::bigint AS b34, sum(b35)::bigint AS b35, sum(b36)::bigint AS b36, sum(b37)::bigint AS b37, sum(b38)::bigint AS b38, sum(b39)::bigint AS b39,
         sum(b40)::bigint AS b40, sum(b41)::bigint AS b41, sum(b42)::bigint AS b42, sum(b43)::bigint AS b43, sum(b44)::bigint AS b44, sum(b45)::bigint AS b45, sum(b46)::bigint AS b46, sum(b47)::bigint AS b47,
         sum(b48)::bigint AS b48, sum(b49)::bigint AS b49, sum(b50)::bigint AS b50, sum(b51)::bigint AS b51, sum(b52)::bigint AS b52, sum(b53)::bigint AS b53, sum(b54)::bigint AS b54, sum(b55)::bigint AS b55,
         sum(b56)::bigint AS b56, sum(b57)::bigint AS b57, sum(b58)::bigint AS b58, sum(b59)::bigint AS b59, sum(b60)::bigint AS b60, sum(b61)::bigint AS b61, sum(b62)::bigint AS b62, sum(b63)::bigint AS b63
    FROM tool_rollups WHERE grain = 'all' AND span = 'day' GROUP BY tool_name
   HAVING sum(succeeded)::bigint + sum(failed)::bigint > 0
), bins AS (
  SELECT tool_name, (u.ord - 1)::integer AS bin, u.n FROM totals, unnest(ARRAY[b00, b01, b02, b03, b04, b05, b06, b07, b08, b09, b10, b11, b12, b13, b14, b15, b16, b17, b18, b19, b20, b21, b22, b23, b24, b25, b26, b27, b28, b29, b30, b31, b32, b33, b34, b35, b36, b37, b38, b39, b40, b41, b42, b43, b44, b45, b46, b47, b48, b49, b50, b51, b52, b53, b54, b55, b56, b57, b58, b59, b60, b61, b62, b63]) WITH ORDINALITY AS u(n, ord) WHERE u.n > 0
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

-- The four functions (PostgreSQL only: SQLite cannot store functions; hookd's API and CLI
-- answer the same questions on both). search_path is fixed at creation, so they work from
-- any schema.
CREATE FUNCTION calculate_session_success_score(p_session_id text) RETURNS integer
  LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
  SELECT success_score FROM session_intelligence_summary WHERE session_id = p_session_id
$$;

-- One session: its summary row plus its calls per tool, as one JSON document.
CREATE FUNCTION get_session_stats(p_session_id text) RETURNS jsonb
  LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
  SELECT to_jsonb(s) || jsonb_build_object('tools', COALESCE((
           SELECT jsonb_agg(x ORDER BY x.uses DESC, x.tool_name)
             FROM (SELECT tool_name, count(*) AS uses,
                          count(*) FILTER (WHERE status = 'succeeded') AS successful_uses,
                          count(*) FILTER (WHERE status = 'failed') AS failed_uses,
                          (avg(duration_ms))::bigint AS avg_duration_ms
                     FROM tool_uses WHERE session_id = p_session_id GROUP BY tool_name) x), '[]'::jsonb))
    FROM session_intelligence_summary s WHERE s.session_id = p_session_id
$$;

-- One tool, day by day (UTC) over the last p_days days.
CREATE FUNCTION get_tool_performance(p_tool_name text, p_days integer DEFAULT 30)
  RETURNS TABLE (day date, total_uses bigint, successful_uses bigint, failed_uses bigint,
                 success_rate_pct numeric, avg_duration_ms bigint)
  LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
  SELECT d.day, d.s + d.f, d.s, d.f,
         CASE WHEN d.s + d.f > 0 THEN round(((2000 * d.s + d.s + d.f) / (2 * (d.s + d.f)))::numeric / 10, 1) END,
         CASE WHEN d.timed > 0 THEN (2 * d.dsum + d.timed) / (2 * d.timed) END
    FROM (SELECT (bucket AT TIME ZONE 'UTC')::date AS day, sum(succeeded)::bigint AS s, sum(failed)::bigint AS f,
                 sum(timed)::bigint AS timed, sum(duration_sum_ms)::bigint AS dsum
            FROM tool_rollups
           WHERE grain = 'all' AND span = 'day' AND tool_name = p_tool_name
             AND bucket >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - make_interval(days => p_days - 1)
           GROUP BY 1) d
   WHERE d.s + d.f > 0
   ORDER BY d.day
$$;

-- Sessions started in the last p_days days, per workflow pattern.
CREATE FUNCTION get_recent_workflow_patterns(p_days integer DEFAULT 7)
  RETURNS TABLE (workflow_pattern text, sessions bigint, share_pct numeric)
  LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
  SELECT workflow_pattern, count(*),
         round(((2000 * count(*) + (sum(count(*)) OVER ())::bigint) / (2 * (sum(count(*)) OVER ())::bigint))::numeric / 10, 1)
    FROM session_intelligence_summary
   WHERE session_start >= now() - make_interval(days => p_days)
   GROUP BY workflow_pattern
   ORDER BY count(*) DESC, workflow_pattern
$$;
