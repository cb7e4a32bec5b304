import type { SqliteDriver } from '../../db/database.ts';
import { SQLITE_DIALECT } from '../../db/sql-dialect.ts';
import { createSqliteAnalyticsWriter, toolUseFactsFromSqlite } from './analytics-writer-sqlite.ts';
import { FACT_COLUMNS } from './rollup-sql.ts';
import { AnalyticsDeltas } from './tool-use-contribution.ts';
import type { DerivedChanges, ToolUseChange } from './session-derivation.ts';
import { SESSION_USAGE_UPDATE_SQL, sessionUsageTotals, USAGE_TOTALS_SQL, usageCountedSql, usageUpsertSql } from './usage-sql.ts';
import { usageRowValues, usageSessions } from './usage-row.ts';
import { AGENT_RUN_COLUMNS, agentMergeSet, taskLinkMergeSet, nonNegative, sessionMergeSet, toolUseMergeSet } from './session-merge-sql.ts';

export type SqliteSessionWriter = (changes: DerivedChanges, now: number) => void;

const UPSERT_TOOL_USE = `
INSERT INTO tool_uses (session_id, tool_use_id, tool_name, input_summary, started_at, ended_at, duration_ms,
                       reported_duration_ms, status, error, interrupted, agent_id, agent_type, subagent_type, truncated,
                       source, project, team_id, ${AGENT_RUN_COLUMNS.join(', ')})
VALUES (@sessionId, @toolUseId, @toolName, @inputSummary, @startedAt, @endedAt,
        COALESCE(@reportedDurationMs, ${nonNegative('(@endedAt - @startedAt)')}),
        @reportedDurationMs, @status, @error, @interrupted, @agentId, @agentType, @subagentType, @truncated,
        @source, @project, @teamId, @promptId, @totalTokens, @inputTokens, @outputTokens, @cacheReadTokens,
        @cacheCreationTokens, @agentModel, @agentRunId, @taskId)
ON CONFLICT (session_id, tool_use_id) DO UPDATE SET${toolUseMergeSet(SQLITE_DIALECT)}
RETURNING ${FACT_COLUMNS}`;

// tool_calls and the other per-call counters start at 0 here: the analytics deltas add them.
const UPSERT_SESSION = `
INSERT INTO sessions (session_id, source, project, cwd, git_branch, terminal, user, host, team_id, model, permission_mode,
                      started_at, last_activity_at, last_start_at, ended_at, end_reason, idle_since, idle_changed_at,
                      events, prompts, tool_calls, failures, subagents, permission_denials, stop_failures,
                      error_kind, error_message, error_changed_at, task_id, task_at, created_at, updated_at)
VALUES (@sessionId, @source, @project, @cwd, @gitBranch, @terminal, @user, @host, @teamId, @model, @permissionMode,
        @startedAt, @lastActivityAt, @lastStartAt, @endedAt, @endReason, @idleSince, @idleChangedAt,
        @events, @prompts, 0, @failures, @subagents, @permissionDenials, @stopFailures,
        @errorKind, @errorMessage, @errorChangedAt, @taskId, @taskAt, @now, @now)
ON CONFLICT (session_id) DO UPDATE SET${sessionMergeSet(SQLITE_DIALECT)}
RETURNING session_id, source, project, team_id`;

const UPSERT_AGENT = `
INSERT INTO session_agents (session_id, agent_id, agent_type, started_at, ended_at, first_seen_at, last_seen_at)
VALUES (@sessionId, @agentId, @agentType, @startedAt, @endedAt, @firstSeenAt, @lastSeenAt)
ON CONFLICT (session_id, agent_id) DO UPDATE SET${agentMergeSet(SQLITE_DIALECT)}`;

const UPSERT_TASK_LINK = `
INSERT INTO session_tasks (session_id, task_id, first_at, last_at, events)
VALUES (@sessionId, @taskId, @firstAt, @lastAt, @events)
ON CONFLICT (session_id, task_id) DO UPDATE SET${taskLinkMergeSet(SQLITE_DIALECT)}`;

interface SessionDims {
  source: string;
  project: string | null;
  teamId: string | null;
}

/**
 * Applies one pass's derived changes, and what they change in the analytics tables;
 * runs inside the caller's transaction. Sessions first, so each tool call records the
 * source, project and team its session has after this pass.
 */
export function createSqliteSessionWriter(sqlite: SqliteDriver): SqliteSessionWriter {
  const before = sqlite.prepare(`SELECT ${FACT_COLUMNS} FROM tool_uses WHERE session_id = ? AND tool_use_id = ?`);
  const upsertToolUse = sqlite.prepare(UPSERT_TOOL_USE);
  const upsertSession = sqlite.prepare(UPSERT_SESSION);
  const upsertAgent = sqlite.prepare(UPSERT_AGENT);
  const upsertTaskLink = sqlite.prepare(UPSERT_TASK_LINK);
  const upsertUsage = sqlite.prepare(usageUpsertSql(SQLITE_DIALECT));
  const markCounted = sqlite.prepare(usageCountedSql(SQLITE_DIALECT));
  const usageTotals = sqlite.prepare(USAGE_TOTALS_SQL);
  const updateSessionUsage = sqlite.prepare(SESSION_USAGE_UPDATE_SQL);
  const writeAnalytics = createSqliteAnalyticsWriter(sqlite);
  return (changes, now) => {
    const dims = new Map<string, SessionDims>();
    for (const s of changes.sessions) {
      const row = upsertSession.get({ ...s, now }) as {
        session_id: string;
        source: string;
        project: string | null;
        team_id: string | null;
      };
      dims.set(row.session_id, { source: row.source, project: row.project, teamId: row.team_id });
    }
    const deltas = new AnalyticsDeltas();
    for (const t of changes.toolUses) {
      const old = before.get(t.sessionId, t.toolUseId) as Record<string, unknown> | undefined;
      const d = dims.get(t.sessionId);
      const row = upsertToolUse.get({
        ...t,
        interrupted: t.interrupted === null ? null : Number(t.interrupted),
        truncated: Number(t.truncated),
        source: d?.source ?? null,
        project: d?.project ?? null,
        teamId: d?.teamId ?? null,
        ...agentRunParams(t),
      }) as Record<string, unknown>;
      deltas.add(old ? toolUseFactsFromSqlite(old) : null, toolUseFactsFromSqlite(row));
    }
    writeAnalytics(deltas);
    for (const a of changes.agents) upsertAgent.run(a);
    for (const l of changes.taskLinks) upsertTaskLink.run(l);
    for (const u of changes.usage) upsertUsage.run(...usageRowValues(u));
    for (const sessionId of usageSessions(changes.usage)) {
      markCounted.run(sessionId);
      const t = sessionUsageTotals(usageTotals.get(sessionId) as Record<string, unknown> | undefined);
      updateSessionUsage.run(
        t.inputTokens,
        t.outputTokens,
        t.cacheReadTokens,
        t.cacheCreationTokens,
        t.costUsd,
        t.unpricedTokens,
        sessionId,
      );
    }
  };
}

function agentRunParams(t: ToolUseChange) {
  const run = t.agentRun;
  return {
    agentRun: undefined,
    totalTokens: run?.totalTokens ?? null,
    inputTokens: run?.inputTokens ?? null,
    outputTokens: run?.outputTokens ?? null,
    cacheReadTokens: run?.cacheReadTokens ?? null,
    cacheCreationTokens: run?.cacheCreationTokens ?? null,
    agentModel: run?.model ?? null,
    agentRunId: run?.agentId ?? null,
  };
}
