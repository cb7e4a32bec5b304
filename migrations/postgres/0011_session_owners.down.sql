DROP TABLE settings;
DROP TABLE session_owners;
