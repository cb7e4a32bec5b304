DELETE FROM derivation_cursor WHERE name = 'rules';
DROP TABLE team_configurations;
