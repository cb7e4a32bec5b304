DROP TABLE hook_executions;
