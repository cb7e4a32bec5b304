import type { SqliteDriver } from '../../db/database.ts';
import type { DerivedChanges } from './session-derivation.ts';
import { nonNegative, sessionMergeSet, toolUseMergeSet, type MergeDialect } from './session-merge-sql.ts';

export type SqliteSessionWriter = (changes: DerivedChanges, now: number) => void;

// SQLite keeps times as epoch ms integers and flags as 0/1; its two-argument max() is
// null when either side is.
const SQLITE: MergeDialect = {
  least: (a, b) => `min(${a}, ${b})`,
  greatest: (a, b) => `max(${a}, ${b})`,
  greatestOfNullable: (a, b) => `COALESCE(max(${a}, ${b}), ${a}, ${b})`,
  elapsedMs: (end, start) => `(${end} - ${start})`,
  either: (a, b) => `max(${a}, ${b})`,
  user: 'user',
};

const UPSERT_TOOL_USE = `
INSERT INTO tool_uses (session_id, tool_use_id, tool_name, input_summary, started_at, ended_at, duration_ms,
                       reported_duration_ms, status, error, interrupted, agent_id, agent_type, subagent_type, truncated)
VALUES (@sessionId, @toolUseId, @toolName, @inputSummary, @startedAt, @endedAt,
        COALESCE(@reportedDurationMs, ${nonNegative('(@endedAt - @startedAt)')}),
        @reportedDurationMs, @status, @error, @interrupted, @agentId, @agentType, @subagentType, @truncated)
ON CONFLICT (session_id, tool_use_id) DO UPDATE SET${toolUseMergeSet(SQLITE)}`;

const UPSERT_SESSION = `
INSERT INTO sessions (session_id, source, project, cwd, git_branch, terminal, user, host, team_id, model, permission_mode,
                      started_at, last_activity_at, last_start_at, ended_at, end_reason, idle_since, idle_changed_at,
                      events, prompts, tool_calls, failures, subagents, created_at, updated_at)
VALUES (@sessionId, @source, @project, @cwd, @gitBranch, @terminal, @user, @host, @teamId, @model, @permissionMode,
        @startedAt, @lastActivityAt, @lastStartAt, @endedAt, @endReason, @idleSince, @idleChangedAt,
        @events, @prompts, @toolCalls, @failures, @subagents, @now, @now)
ON CONFLICT (session_id) DO UPDATE SET${sessionMergeSet(SQLITE)}`;

/** Applies one commit's derived changes; runs inside the caller's transaction. */
export function createSqliteSessionWriter(sqlite: SqliteDriver): SqliteSessionWriter {
  const exists = sqlite.prepare('SELECT 1 FROM tool_uses WHERE session_id = ? AND tool_use_id = ?').pluck();
  const upsertToolUse = sqlite.prepare(UPSERT_TOOL_USE);
  const upsertSession = sqlite.prepare(UPSERT_SESSION);
  return (changes, now) => {
    const created = new Map<string, number>();
    for (const t of changes.toolUses) {
      if (exists.get(t.sessionId, t.toolUseId) === undefined) created.set(t.sessionId, (created.get(t.sessionId) ?? 0) + 1);
      upsertToolUse.run({
        ...t,
        interrupted: t.interrupted === null ? null : Number(t.interrupted),
        truncated: Number(t.truncated),
      });
    }
    for (const s of changes.sessions) upsertSession.run({ ...s, toolCalls: created.get(s.sessionId) ?? 0, now });
  };
}
