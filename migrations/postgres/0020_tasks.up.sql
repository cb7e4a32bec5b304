-- Tasks (issue 27, part 1): the CI/CD work coding agents do, with GitHub check-run
-- statuses (queued, in_progress, completed + conclusion), and the relationships between
-- them. Requirements and acceptance criteria are JSON arrays of strings, metadata a JSON
-- object, all kept as text. A task belongs to a team (NULL: the installation's).
CREATE TABLE tasks (
  task_id             text    NOT NULL PRIMARY KEY,
  team_id             TEXT,
  title               text    NOT NULL,
  description         TEXT,
  status              text    NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'in_progress', 'completed')),
  conclusion          text    CHECK (conclusion IN ('success', 'failure', 'neutral', 'cancelled', 'skipped', 'timed_out', 'action_required')),
  priority            INTEGER NOT NULL DEFAULT 5 CHECK (priority BETWEEN 0 AND 10),
  requirements        text    NOT NULL DEFAULT '[]',
  acceptance_criteria text    NOT NULL DEFAULT '[]',
  assignee            TEXT,
  agent               TEXT,
  parent_task_id      TEXT,
  metadata            text    NOT NULL DEFAULT '{}',
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  started_at          timestamptz,
  completed_at        timestamptz,
  CHECK ((status = 'completed') = (conclusion IS NOT NULL))
);
CREATE INDEX tasks_created_idx ON tasks (created_at, task_id);
CREATE INDEX tasks_team_created_idx ON tasks (team_id, created_at, task_id);
CREATE INDEX tasks_status_idx ON tasks (status, created_at);
CREATE INDEX tasks_assignee_idx ON tasks (assignee, created_at);
CREATE INDEX tasks_parent_idx ON tasks (parent_task_id);

CREATE TABLE task_relationships (
  from_task_id text    NOT NULL,
  to_task_id   text    NOT NULL,
  kind         text    NOT NULL CHECK (kind IN ('blocks', 'depends_on', 'related', 'duplicates', 'parent_of')),
  strength     double precision NOT NULL DEFAULT 1 CHECK (strength >= 0 AND strength <= 1),
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (from_task_id, to_task_id, kind)
);
CREATE INDEX task_relationships_to_idx ON task_relationships (to_task_id, kind);
