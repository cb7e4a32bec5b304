DROP TABLE event_keys;
DROP TABLE events;
