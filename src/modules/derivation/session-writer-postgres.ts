import type { PoolClient } from 'pg';
import { POSTGRES_DIALECT } from '../../db/sql-dialect.ts';
import { factColumnsMs, toolUseFactsFromPostgres, writeAnalyticsDeltas } from './analytics-writer-postgres.ts';
import { AnalyticsDeltas, type ToolUseFacts } from './tool-use-contribution.ts';
import type { AgentChange, DerivedChanges, SessionChange, TaskLinkChange, ToolUseChange } from './session-derivation.ts';
import { SESSION_USAGE_UPDATE_SQL, sessionUsageTotals, USAGE_TOTALS_SQL, usageCountedSql, usageUpsertSql } from './usage-sql.ts';
import { usageRowValues, usageSessions } from './usage-row.ts';
import { AGENT_RUN_COLUMNS, agentMergeSet, taskLinkMergeSet, nonNegative, sessionMergeSet, toolUseMergeSet } from './session-merge-sql.ts';

const { timeFromMs: T, timeParam } = POSTGRES_DIALECT;

// Sessions first: the upsert locks each session's row for the rest of the pass, and every
// writer of a session's tool calls (passes; maintenance runs with passes held off) takes
// that lock first. So the tool calls read below cannot change until this pass commits,
// and what they contributed to analytics before is exactly what the pass takes away.
// tool_calls and the other per-call counters start at 0: the analytics deltas add them.
const SESSIONS_SQL = `
INSERT INTO sessions (session_id, source, project, cwd, git_branch, terminal, "user", host, team_id, model, permission_mode,
                      started_at, last_activity_at, last_start_at, ended_at, end_reason, idle_since, idle_changed_at,
                      events, prompts, tool_calls, failures, subagents, permission_denials, stop_failures,
                      error_kind, error_message, error_changed_at, task_id, task_at, created_at, updated_at)
SELECT s.session_id, source, project, cwd, git_branch, terminal, usr, host, team_id, model, permission_mode,
       ${T('started_ms')}, ${T('last_ms')}, ${T('last_start_ms')}, ${T('ended_ms')}, end_reason, ${T('idle_ms')}, ${T('idle_changed_ms')},
       events, prompts, 0, failures, subagents, permission_denials, stop_failures,
       error_kind, error_message, ${T('error_changed_ms')}, task_id, ${T('task_ms')}, ${timeParam('$30')}, ${timeParam('$30')}
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
              $8::text[], $9::text[], $10::text[], $11::text[], $12::int8[], $13::int8[], $14::int8[],
              $15::int8[], $16::text[], $17::int8[], $18::int8[], $19::int8[], $20::int8[], $21::int8[], $22::int8[],
              $23::int8[], $24::int8[], $25::text[], $26::text[], $27::int8[], $28::text[], $29::int8[])
    AS s(session_id, source, project, cwd, git_branch, terminal, usr, host, team_id, model, permission_mode,
         started_ms, last_ms, last_start_ms, ended_ms, end_reason, idle_ms, idle_changed_ms,
         events, prompts, failures, subagents, permission_denials, stop_failures, error_kind, error_message, error_changed_ms,
         task_id, task_ms)
ON CONFLICT (session_id) DO UPDATE SET${sessionMergeSet(POSTGRES_DIALECT)}
RETURNING session_id, source, project, team_id`;

// The calls as they were (`before`) and as they are now (`after`), in one statement: both
// read under the session locks taken above.
const TOOL_USES_SQL = `
WITH tu_in AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int8[], $6::int8[], $7::int4[], $8::text[],
                       $9::text[], $10::bool[], $11::text[], $12::text[], $13::text[], $14::bool[], $15::text[], $16::text[], $17::text[],
                       $18::text[], $19::int8[], $20::int8[], $21::int8[], $22::int8[], $23::int8[], $24::text[], $25::text[],
                       $26::text[])
    AS t(session_id, tool_use_id, tool_name, input_summary, started_ms, ended_ms, reported, status,
         error, interrupted, agent_id, agent_type, subagent_type, truncated, source, project, team_id, ${AGENT_RUN_COLUMNS.join(', ')})
), before AS (
  SELECT t.tool_use_id, ${factColumnsMs('t')}
    FROM tool_uses t JOIN tu_in USING (session_id, tool_use_id)
), after AS (
  INSERT INTO tool_uses (session_id, tool_use_id, tool_name, input_summary, started_at, ended_at, duration_ms,
                         reported_duration_ms, status, error, interrupted, agent_id, agent_type, subagent_type, truncated,
                         source, project, team_id, ${AGENT_RUN_COLUMNS.join(', ')})
  SELECT session_id, tool_use_id, tool_name, input_summary, ${T('started_ms')}, ${T('ended_ms')},
         COALESCE(reported, ${nonNegative('(ended_ms - started_ms)')}::int4), reported, status,
         error, interrupted, agent_id, agent_type, subagent_type, truncated, source, project, team_id, ${AGENT_RUN_COLUMNS.join(', ')}
    FROM tu_in
  ON CONFLICT (session_id, tool_use_id) DO UPDATE SET${toolUseMergeSet(POSTGRES_DIALECT)}
  RETURNING tool_use_id, ${factColumnsMs()}
)
SELECT false AS is_after, * FROM before UNION ALL SELECT true, * FROM after`;

const AGENTS_SQL = `
INSERT INTO session_agents (session_id, agent_id, agent_type, started_at, ended_at, first_seen_at, last_seen_at)
SELECT session_id, agent_id, agent_type, ${T('started_ms')}, ${T('ended_ms')}, ${T('first_ms')}, ${T('last_ms')}
  FROM unnest($1::text[], $2::text[], $3::text[], $4::int8[], $5::int8[], $6::int8[], $7::int8[])
    AS a(session_id, agent_id, agent_type, started_ms, ended_ms, first_ms, last_ms)
ON CONFLICT (session_id, agent_id) DO UPDATE SET${agentMergeSet(POSTGRES_DIALECT)}`;

const USAGE_UPSERT = POSTGRES_DIALECT.placeholders(usageUpsertSql(POSTGRES_DIALECT));
const USAGE_COUNTED = POSTGRES_DIALECT.placeholders(usageCountedSql(POSTGRES_DIALECT));
const USAGE_TOTALS = POSTGRES_DIALECT.placeholders(USAGE_TOTALS_SQL);
const USAGE_UPDATE = POSTGRES_DIALECT.placeholders(SESSION_USAGE_UPDATE_SQL);

/** Usage rows, then the totals of the sessions they belong to (their rows are locked by now). */
async function writeUsage(client: PoolClient, changes: DerivedChanges): Promise<void> {
  for (const u of changes.usage) await client.query({ name: 'hookd_derive_usage', text: USAGE_UPSERT, values: usageRowValues(u) });
  for (const sessionId of usageSessions(changes.usage)) {
    await client.query({ name: 'hookd_usage_counted', text: USAGE_COUNTED, values: [sessionId] });
    const { rows } = await client.query({ name: 'hookd_usage_totals', text: USAGE_TOTALS, values: [sessionId] });
    const t = sessionUsageTotals(rows[0]);
    await client.query({
      name: 'hookd_session_usage',
      text: USAGE_UPDATE,
      values: [t.inputTokens, t.outputTokens, t.cacheReadTokens, t.cacheCreationTokens, t.costUsd, t.unpricedTokens, sessionId],
    });
  }
}

const TASK_LINKS_SQL = `
INSERT INTO session_tasks (session_id, task_id, first_at, last_at, events)
SELECT session_id, task_id, ${T('first_ms')}, ${T('last_ms')}, events
  FROM unnest($1::text[], $2::text[], $3::int8[], $4::int8[], $5::int8[]) AS l(session_id, task_id, first_ms, last_ms, events)
ON CONFLICT (session_id, task_id) DO UPDATE SET${taskLinkMergeSet(POSTGRES_DIALECT)}`;

const TASK_LINK_COLUMNS: ((l: TaskLinkChange) => unknown)[] = [
  (l) => l.sessionId,
  (l) => l.taskId,
  (l) => l.firstAt,
  (l) => l.lastAt,
  (l) => l.events,
];

function columns<T>(rows: readonly T[], pick: readonly ((row: T) => unknown)[]): unknown[][] {
  return pick.map((get) => rows.map(get));
}

const TOOL_COLUMNS: ((t: ToolUseChange) => unknown)[] = [
  (t) => t.sessionId,
  (t) => t.toolUseId,
  (t) => t.toolName,
  (t) => t.inputSummary,
  (t) => t.startedAt,
  (t) => t.endedAt,
  (t) => t.reportedDurationMs,
  (t) => t.status,
  (t) => t.error,
  (t) => t.interrupted,
  (t) => t.agentId,
  (t) => t.agentType,
  (t) => t.subagentType,
  (t) => t.truncated,
];

// After the source, project and team columns, which come from the sessions upsert.
const AGENT_RUN_VALUES: ((t: ToolUseChange) => unknown)[] = [
  (t) => t.promptId,
  (t) => t.agentRun?.totalTokens ?? null,
  (t) => t.agentRun?.inputTokens ?? null,
  (t) => t.agentRun?.outputTokens ?? null,
  (t) => t.agentRun?.cacheReadTokens ?? null,
  (t) => t.agentRun?.cacheCreationTokens ?? null,
  (t) => t.agentRun?.model ?? null,
  (t) => t.agentRun?.agentId ?? null,
  (t) => t.taskId,
];

const AGENT_COLUMNS: ((a: AgentChange) => unknown)[] = [
  (a) => a.sessionId,
  (a) => a.agentId,
  (a) => a.agentType,
  (a) => a.startedAt,
  (a) => a.endedAt,
  (a) => a.firstSeenAt,
  (a) => a.lastSeenAt,
];

const SESSION_COLUMNS: ((s: SessionChange) => unknown)[] = [
  (s) => s.sessionId,
  (s) => s.source,
  (s) => s.project,
  (s) => s.cwd,
  (s) => s.gitBranch,
  (s) => s.terminal,
  (s) => s.user,
  (s) => s.host,
  (s) => s.teamId,
  (s) => s.model,
  (s) => s.permissionMode,
  (s) => s.startedAt,
  (s) => s.lastActivityAt,
  (s) => s.lastStartAt,
  (s) => s.endedAt,
  (s) => s.endReason,
  (s) => s.idleSince,
  (s) => s.idleChangedAt,
  (s) => s.events,
  (s) => s.prompts,
  (s) => s.failures,
  (s) => s.subagents,
  (s) => s.permissionDenials,
  (s) => s.stopFailures,
  (s) => s.errorKind,
  (s) => s.errorMessage,
  (s) => s.errorChangedAt,
  (s) => s.taskId,
  (s) => s.taskAt,
];

/**
 * Applies one pass's derived changes on `client`, inside the caller's transaction, and
 * what they change in the analytics tables.
 */
export async function writeSessionChanges(client: PoolClient, changes: DerivedChanges, now: number): Promise<void> {
  if (changes.sessions.length === 0) return;
  const sessions = await client.query<{ session_id: string; source: string; project: string | null; team_id: string | null }>({
    name: 'hookd_derive_sessions',
    text: SESSIONS_SQL,
    values: [...columns(changes.sessions, SESSION_COLUMNS), now],
  });
  if (changes.agents.length > 0)
    await client.query({ name: 'hookd_derive_agents', text: AGENTS_SQL, values: columns(changes.agents, AGENT_COLUMNS) });
  if (changes.taskLinks.length > 0)
    await client.query({ name: 'hookd_derive_task_links', text: TASK_LINKS_SQL, values: columns(changes.taskLinks, TASK_LINK_COLUMNS) });
  await writeUsage(client, changes);
  if (changes.toolUses.length === 0) return;
  const dims = new Map(sessions.rows.map((r) => [r.session_id, r]));
  const dim = (t: ToolUseChange) => dims.get(t.sessionId);
  const { rows } = await client.query<Record<string, unknown>>({
    name: 'hookd_derive_tool_uses',
    text: TOOL_USES_SQL,
    values: [
      ...columns(changes.toolUses, TOOL_COLUMNS),
      changes.toolUses.map((t) => dim(t)?.source ?? null),
      changes.toolUses.map((t) => dim(t)?.project ?? null),
      changes.toolUses.map((t) => dim(t)?.team_id ?? null),
      ...columns(changes.toolUses, AGENT_RUN_VALUES),
    ],
  });
  const before = new Map<string, ToolUseFacts>();
  const after: [string, ToolUseFacts][] = [];
  for (const row of rows) {
    const key = `${row.session_id as string}\u0000${row.tool_use_id as string}`;
    if (row.is_after) after.push([key, toolUseFactsFromPostgres(row)]);
    else before.set(key, toolUseFactsFromPostgres(row));
  }
  const deltas = new AnalyticsDeltas();
  for (const [key, facts] of after) deltas.add(before.get(key) ?? null, facts);
  await writeAnalyticsDeltas(client, deltas);
}
