import type BetterSqlite3 from 'better-sqlite3';
import type { DerivedChanges } from './session-derivation.ts';

export type SqliteSessionWriter = (changes: DerivedChanges, now: number) => void;

// The merge rules, kept word for word in step with session-writer-postgres.ts:
// - a tool call's start is its first Pre, its end and outcome the latest Post/Failure;
//   duration is the payload's duration_ms, else end - start (never negative);
// - a session's times widen, counters add up, descriptive fields take the newest non-null;
// - an end is kept unless a later start (resume) or, for a `stale` end, later activity reopens it;
// - idleness follows the latest idle-relevant event.
const UPSERT_TOOL_USE = `
INSERT INTO tool_uses (session_id, tool_use_id, tool_name, input_summary, started_at, ended_at, duration_ms,
                       reported_duration_ms, status, error, interrupted, agent_id, agent_type, subagent_type, truncated)
VALUES (@sessionId, @toolUseId, @toolName, @inputSummary, @startedAt, @endedAt,
        COALESCE(@reportedDurationMs, CASE WHEN @endedAt - @startedAt < 0 THEN 0 ELSE @endedAt - @startedAt END),
        @reportedDurationMs, @status, @error, @interrupted, @agentId, @agentType, @subagentType, @truncated)
ON CONFLICT (session_id, tool_use_id) DO UPDATE SET
  tool_name = CASE WHEN excluded.tool_name = 'unknown' THEN tool_uses.tool_name ELSE excluded.tool_name END,
  input_summary = COALESCE(excluded.input_summary, tool_uses.input_summary),
  started_at = COALESCE(tool_uses.started_at, excluded.started_at),
  ended_at = COALESCE(excluded.ended_at, tool_uses.ended_at),
  reported_duration_ms = COALESCE(excluded.reported_duration_ms, tool_uses.reported_duration_ms),
  duration_ms = COALESCE(excluded.reported_duration_ms, tool_uses.reported_duration_ms,
    CASE WHEN COALESCE(excluded.ended_at, tool_uses.ended_at) - COALESCE(tool_uses.started_at, excluded.started_at) < 0 THEN 0
         ELSE COALESCE(excluded.ended_at, tool_uses.ended_at) - COALESCE(tool_uses.started_at, excluded.started_at) END),
  status = CASE WHEN excluded.status = 'running' THEN tool_uses.status ELSE excluded.status END,
  error = CASE WHEN excluded.status = 'running' THEN tool_uses.error ELSE excluded.error END,
  interrupted = COALESCE(excluded.interrupted, tool_uses.interrupted),
  agent_id = COALESCE(excluded.agent_id, tool_uses.agent_id),
  agent_type = COALESCE(excluded.agent_type, tool_uses.agent_type),
  subagent_type = COALESCE(excluded.subagent_type, tool_uses.subagent_type),
  truncated = max(tool_uses.truncated, excluded.truncated)`;

const ENDS_NOW = `excluded.ended_at IS NOT NULL
      AND (sessions.ended_at IS NULL OR excluded.ended_at >= sessions.ended_at)
      AND (sessions.last_start_at IS NULL OR excluded.ended_at >= sessions.last_start_at)`;
const REOPENS = `sessions.ended_at IS NOT NULL
      AND (excluded.last_start_at > sessions.ended_at
           OR (sessions.end_reason = 'stale' AND excluded.last_activity_at > sessions.ended_at))`;
const IDLE_NEWER = `excluded.idle_changed_at IS NOT NULL
      AND (sessions.idle_changed_at IS NULL OR excluded.idle_changed_at >= sessions.idle_changed_at)`;

const UPSERT_SESSION = `
INSERT INTO sessions (session_id, source, project, cwd, git_branch, terminal, user, host, team_id, model, permission_mode,
                      started_at, last_activity_at, last_start_at, ended_at, end_reason, idle_since, idle_changed_at,
                      events, prompts, tool_calls, failures, subagents, created_at, updated_at)
VALUES (@sessionId, @source, @project, @cwd, @gitBranch, @terminal, @user, @host, @teamId, @model, @permissionMode,
        @startedAt, @lastActivityAt, @lastStartAt, @endedAt, @endReason, @idleSince, @idleChangedAt,
        @events, @prompts, @toolCalls, @failures, @subagents, @now, @now)
ON CONFLICT (session_id) DO UPDATE SET
  source = CASE WHEN sessions.source = 'unknown' THEN excluded.source ELSE sessions.source END,
  project = COALESCE(excluded.project, sessions.project),
  cwd = COALESCE(excluded.cwd, sessions.cwd),
  git_branch = COALESCE(excluded.git_branch, sessions.git_branch),
  terminal = COALESCE(excluded.terminal, sessions.terminal),
  user = COALESCE(excluded.user, sessions.user),
  host = COALESCE(excluded.host, sessions.host),
  team_id = COALESCE(excluded.team_id, sessions.team_id),
  model = COALESCE(excluded.model, sessions.model),
  permission_mode = COALESCE(excluded.permission_mode, sessions.permission_mode),
  started_at = min(sessions.started_at, excluded.started_at),
  last_activity_at = max(sessions.last_activity_at, excluded.last_activity_at),
  last_start_at = COALESCE(max(sessions.last_start_at, excluded.last_start_at), sessions.last_start_at, excluded.last_start_at),
  ended_at = CASE WHEN ${ENDS_NOW} THEN excluded.ended_at WHEN ${REOPENS} THEN NULL ELSE sessions.ended_at END,
  end_reason = CASE WHEN ${ENDS_NOW} THEN excluded.end_reason WHEN ${REOPENS} THEN NULL ELSE sessions.end_reason END,
  idle_since = CASE WHEN NOT (${IDLE_NEWER}) THEN sessions.idle_since
                    WHEN excluded.idle_since IS NULL THEN NULL
                    ELSE COALESCE(sessions.idle_since, excluded.idle_since) END,
  idle_changed_at = CASE WHEN ${IDLE_NEWER} THEN excluded.idle_changed_at ELSE sessions.idle_changed_at END,
  events = sessions.events + excluded.events,
  prompts = sessions.prompts + excluded.prompts,
  tool_calls = sessions.tool_calls + excluded.tool_calls,
  failures = sessions.failures + excluded.failures,
  subagents = sessions.subagents + excluded.subagents,
  updated_at = excluded.updated_at`;

/** Applies one commit's derived changes; runs inside the caller's transaction. */
export function createSqliteSessionWriter(sqlite: BetterSqlite3.Database): SqliteSessionWriter {
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
