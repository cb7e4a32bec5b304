DROP TABLE rule_queue;
DROP TABLE team_configurations;
