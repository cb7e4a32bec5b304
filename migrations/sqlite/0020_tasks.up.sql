-- Tasks (issue 27, part 1): the CI/CD work coding agents do, with GitHub check-run
-- statuses (queued, in_progress, completed + conclusion), and the relationships between
-- them. Requirements and acceptance criteria are JSON arrays of strings, metadata a JSON
-- object, all kept as text. A task belongs to a team (NULL: the installation's).
CREATE TABLE tasks (
  task_id             TEXT    NOT NULL PRIMARY KEY,
  team_id             TEXT,
  title               TEXT    NOT NULL,
  description         TEXT,
  status              TEXT    NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'in_progress', 'completed')),
  conclusion          TEXT    CHECK (conclusion IN ('success', 'failure', 'neutral', 'cancelled', 'skipped', 'timed_out', 'action_required')),
  priority            INTEGER NOT NULL DEFAULT 5 CHECK (priority BETWEEN 0 AND 10),
  requirements        TEXT    NOT NULL DEFAULT '[]',
  acceptance_criteria TEXT    NOT NULL DEFAULT '[]',
  assignee            TEXT,
  agent               TEXT,
  parent_task_id      TEXT,
  metadata            TEXT    NOT NULL DEFAULT '{}',
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  started_at          INTEGER,
  completed_at        INTEGER,
  CHECK ((status = 'completed') = (conclusion IS NOT NULL))
);
CREATE INDEX tasks_created_idx ON tasks (created_at, task_id);
CREATE INDEX tasks_team_created_idx ON tasks (team_id, created_at, task_id);
CREATE INDEX tasks_status_idx ON tasks (status, created_at);
CREATE INDEX tasks_assignee_idx ON tasks (assignee, created_at);
CREATE INDEX tasks_parent_idx ON tasks (parent_task_id);

CREATE TABLE task_relationships (
  from_task_id TEXT    NOT NULL,
  to_task_id   TEXT    NOT NULL,
  kind         TEXT    NOT NULL CHECK (kind IN ('blocks', 'depends_on', 'related', 'duplicates', 'parent_of')),
  strength     REAL    NOT NULL DEFAULT 1 CHECK (strength >= 0 AND strength <= 1),
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (from_task_id, to_task_id, kind)
);
CREATE INDEX task_relationships_to_idx ON task_relationships (to_task_id, kind);
