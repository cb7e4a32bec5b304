-- Sessions and tool uses are derived after the events commit, not inside their commit:
-- ingest then writes only the events (plus one row here per commit), and no two ingest
-- transactions wait on the same sessions row. events.id is not in commit order on
-- PostgreSQL (any number of writers), so a cursor over it could skip a late commit; a
-- queue cannot: a commit's row becomes visible exactly when its events do. The derivation
-- deletes the rows it handles in the same transaction as its writes (FOR UPDATE SKIP
-- LOCKED, so processes share the work), which derives every event exactly once.
-- `events` holds what the derivation reads of each new event of the commit (a JSON array,
-- see derivable-json.ts), so a pass never reads the events and their payloads back.
CREATE TABLE derivation_queue (
  id     bigserial PRIMARY KEY,
  events text      NOT NULL
);
