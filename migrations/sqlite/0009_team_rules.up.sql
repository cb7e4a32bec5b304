-- Team configurations (seed 000's team_hook_configurations): one validated JSON document
-- per team. `revision` counts saves (and enable/disable) so a client that read revision N
-- can save "only if still N"; the seed's free-form `version` stays inside the document.
-- Times are epoch ms.
CREATE TABLE team_configurations (
  team_id       TEXT    PRIMARY KEY,
  configuration TEXT    NOT NULL,
  enabled       INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  revision      INTEGER NOT NULL CHECK (revision > 0),
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
) WITHOUT ROWID;

-- Team rules run on stored events after the derivation has brought their sessions up to
-- date (rules read session fields): the rules cursor follows the sessions cursor over
-- events.id, which SQLite hands out in commit order, and moves in the same transaction as
-- the executions its rules fired, so every event is evaluated once, whichever process
-- (or restart) does it. It starts where the derivation is: rules see events stored from
-- now on, not history.
INSERT INTO derivation_cursor (name, last_id) SELECT 'rules', last_id FROM derivation_cursor WHERE name = 'sessions';
