-- Team configurations (seed 000's team_hook_configurations): one validated JSON document
-- per team. `revision` counts saves (and enable/disable) so a client that read revision N
-- can save "only if still N"; the seed's free-form `version` stays inside the document.
CREATE TABLE team_configurations (
  team_id       text        PRIMARY KEY,
  configuration jsonb       NOT NULL,
  enabled       boolean     NOT NULL DEFAULT true,
  revision      bigint      NOT NULL CHECK (revision > 0),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Team rules run on stored events after the derivation has brought their sessions up to
-- date (rules read session fields). events.id is not in commit order here, so a cursor
-- over it could skip a late commit; instead each derivation pass queues the keys of the
-- events it derived, in its own transaction, and a rules pass deletes the rows it handles
-- in the same transaction as the executions its rules fired (FOR UPDATE SKIP LOCKED, so
-- processes share the work): every event is evaluated once, after a crash or restart too.
-- `events` is a JSON array of [session_id, event_id, ts_ms].
CREATE TABLE rule_queue (
  id     bigserial PRIMARY KEY,
  events text      NOT NULL
);
