DROP TABLE tool_uses;
DROP TABLE sessions;
