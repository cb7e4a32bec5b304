-- Derivation goes back inside the ingest commit; derive what is pending first
-- (`hookd rebuild`), or those events stay out of the sessions.
DROP TABLE derivation_queue;
