DROP INDEX events_id_idx;
