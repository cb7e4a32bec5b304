-- PostgreSQL's 0010 gives its derivation queue rows a count and a time for the backlog
-- gauges; SQLite reads its backlog from the derivation cursor and needs no change. The
-- number is kept so that one number is one change on both dialects.
SELECT 1;
