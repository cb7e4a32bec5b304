import type { PoolClient } from 'pg';
import { timestamptzFromMs } from '../../db/postgres-time.ts';
import type { DerivedChanges, SessionChange, ToolUseChange } from './session-derivation.ts';
import { nonNegative, sessionMergeSet, toolUseMergeSet, type MergeDialect } from './session-merge-sql.ts';

const T = timestamptzFromMs;

// PostgreSQL keeps timestamptz and booleans; GREATEST/LEAST already skip nulls.
const POSTGRES: MergeDialect = {
  least: (a, b) => `LEAST(${a}, ${b})`,
  greatest: (a, b) => `GREATEST(${a}, ${b})`,
  greatestOfNullable: (a, b) => `GREATEST(${a}, ${b})`,
  elapsedMs: (end, start) => `(extract(epoch FROM ${end} - ${start}) * 1000)::int4`,
  either: (a, b) => `${a} OR ${b}`,
  user: '"user"',
};

// One statement writes both tables: the tool-call upsert reports which calls are new
// (xmax = 0 on an inserted row), and that count feeds the sessions' tool_calls.
const DERIVE_SQL = `
WITH tu_in AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int8[], $6::int8[], $7::int4[], $8::text[],
                       $9::text[], $10::bool[], $11::text[], $12::text[], $13::text[], $14::bool[])
    AS t(session_id, tool_use_id, tool_name, input_summary, started_ms, ended_ms, reported, status,
         error, interrupted, agent_id, agent_type, subagent_type, truncated)
), tu AS (
  INSERT INTO tool_uses (session_id, tool_use_id, tool_name, input_summary, started_at, ended_at, duration_ms,
                         reported_duration_ms, status, error, interrupted, agent_id, agent_type, subagent_type, truncated)
  SELECT session_id, tool_use_id, tool_name, input_summary, ${T('started_ms')}, ${T('ended_ms')},
         COALESCE(reported, ${nonNegative('(ended_ms - started_ms)')}::int4), reported, status,
         error, interrupted, agent_id, agent_type, subagent_type, truncated
    FROM tu_in
  ON CONFLICT (session_id, tool_use_id) DO UPDATE SET${toolUseMergeSet(POSTGRES)}
  RETURNING session_id, (xmax = 0) AS created
), calls AS (
  SELECT session_id, count(*) FILTER (WHERE created) AS n FROM tu GROUP BY session_id
), s_in AS (
  SELECT * FROM unnest($15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::text[], $21::text[],
                       $22::text[], $23::text[], $24::text[], $25::text[], $26::int8[], $27::int8[], $28::int8[],
                       $29::int8[], $30::text[], $31::int8[], $32::int8[], $33::int8[], $34::int8[], $35::int8[], $36::int8[])
    AS s(session_id, source, project, cwd, git_branch, terminal, usr, host, team_id, model, permission_mode,
         started_ms, last_ms, last_start_ms, ended_ms, end_reason, idle_ms, idle_changed_ms,
         events, prompts, failures, subagents)
)
INSERT INTO sessions (session_id, source, project, cwd, git_branch, terminal, "user", host, team_id, model, permission_mode,
                      started_at, last_activity_at, last_start_at, ended_at, end_reason, idle_since, idle_changed_at,
                      events, prompts, tool_calls, failures, subagents, created_at, updated_at)
SELECT s.session_id, source, project, cwd, git_branch, terminal, usr, host, team_id, model, permission_mode,
       ${T('started_ms')}, ${T('last_ms')}, ${T('last_start_ms')}, ${T('ended_ms')}, end_reason, ${T('idle_ms')}, ${T('idle_changed_ms')},
       events, prompts, COALESCE(calls.n, 0), failures, subagents, ${T('$37::int8')}, ${T('$37::int8')}
  FROM s_in s LEFT JOIN calls USING (session_id)
ON CONFLICT (session_id) DO UPDATE SET${sessionMergeSet(POSTGRES)}`;

function columns<T>(rows: readonly T[], pick: readonly ((row: T) => unknown)[]): unknown[][] {
  return pick.map((get) => rows.map(get));
}

const TOOL_COLUMNS: ((t: ToolUseChange) => unknown)[] = [
  (t) => t.sessionId, (t) => t.toolUseId, (t) => t.toolName, (t) => t.inputSummary, (t) => t.startedAt, (t) => t.endedAt,
  (t) => t.reportedDurationMs, (t) => t.status, (t) => t.error, (t) => t.interrupted, (t) => t.agentId, (t) => t.agentType,
  (t) => t.subagentType, (t) => t.truncated,
];

const SESSION_COLUMNS: ((s: SessionChange) => unknown)[] = [
  (s) => s.sessionId, (s) => s.source, (s) => s.project, (s) => s.cwd, (s) => s.gitBranch, (s) => s.terminal, (s) => s.user,
  (s) => s.host, (s) => s.teamId, (s) => s.model, (s) => s.permissionMode, (s) => s.startedAt, (s) => s.lastActivityAt,
  (s) => s.lastStartAt, (s) => s.endedAt, (s) => s.endReason, (s) => s.idleSince, (s) => s.idleChangedAt,
  (s) => s.events, (s) => s.prompts, (s) => s.failures, (s) => s.subagents,
];

/** Applies one commit's derived changes on `client`, inside the caller's transaction. */
export async function writeSessionChanges(client: PoolClient, changes: DerivedChanges, now: number): Promise<void> {
  if (changes.sessions.length === 0) return;
  await client.query({
    name: 'hookd_derive_sessions',
    text: DERIVE_SQL,
    values: [...columns(changes.toolUses, TOOL_COLUMNS), ...columns(changes.sessions, SESSION_COLUMNS), now],
  });
}
