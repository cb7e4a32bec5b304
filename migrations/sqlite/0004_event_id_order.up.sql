-- Nothing to do on SQLite: events.id is the rowid (INTEGER PRIMARY KEY), already the
-- table's own order, which the live tail reads. The file keeps version numbers aligned
-- with PostgreSQL's 0004_event_id_order.
SELECT 1;
