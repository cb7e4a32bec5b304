import type { PoolClient } from 'pg';
import type { DerivedChanges, SessionChange, ToolUseChange } from './session-derivation.ts';

const T = (col: string) => `(timestamptz 'epoch' + ${col} * interval '1 millisecond')`;
const MS = (expr: string) => `(extract(epoch FROM ${expr}) * 1000)::int8`;
const NON_NEGATIVE = (expr: string) => `CASE WHEN ${expr} < 0 THEN 0 ELSE ${expr} END`;

// The merge rules are those of session-writer-sqlite.ts, kept word for word in step. One
// statement writes both tables: the tool-call upsert reports which calls are new
// (xmax = 0 on an inserted row), and that count feeds the sessions' tool_calls.
const ELAPSED = MS(`COALESCE(excluded.ended_at, tool_uses.ended_at) - COALESCE(tool_uses.started_at, excluded.started_at)`);
const ENDS_NOW = `excluded.ended_at IS NOT NULL
      AND (sessions.ended_at IS NULL OR excluded.ended_at >= sessions.ended_at)
      AND (sessions.last_start_at IS NULL OR excluded.ended_at >= sessions.last_start_at)`;
const REOPENS = `sessions.ended_at IS NOT NULL
      AND (excluded.last_start_at > sessions.ended_at
           OR (sessions.end_reason = 'stale' AND excluded.last_activity_at > sessions.ended_at))`;
const IDLE_NEWER = `excluded.idle_changed_at IS NOT NULL
      AND (sessions.idle_changed_at IS NULL OR excluded.idle_changed_at >= sessions.idle_changed_at)`;

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
         COALESCE(reported, ${NON_NEGATIVE('(ended_ms - started_ms)')}::int4), reported, status,
         error, interrupted, agent_id, agent_type, subagent_type, truncated
    FROM tu_in
  ON CONFLICT (session_id, tool_use_id) DO UPDATE SET
    tool_name = CASE WHEN excluded.tool_name = 'unknown' THEN tool_uses.tool_name ELSE excluded.tool_name END,
    input_summary = COALESCE(excluded.input_summary, tool_uses.input_summary),
    started_at = COALESCE(tool_uses.started_at, excluded.started_at),
    ended_at = COALESCE(excluded.ended_at, tool_uses.ended_at),
    reported_duration_ms = COALESCE(excluded.reported_duration_ms, tool_uses.reported_duration_ms),
    duration_ms = COALESCE(excluded.reported_duration_ms, tool_uses.reported_duration_ms, ${NON_NEGATIVE(ELAPSED)}::int4),
    status = CASE WHEN excluded.status = 'running' THEN tool_uses.status ELSE excluded.status END,
    error = CASE WHEN excluded.status = 'running' THEN tool_uses.error ELSE excluded.error END,
    interrupted = COALESCE(excluded.interrupted, tool_uses.interrupted),
    agent_id = COALESCE(excluded.agent_id, tool_uses.agent_id),
    agent_type = COALESCE(excluded.agent_type, tool_uses.agent_type),
    subagent_type = COALESCE(excluded.subagent_type, tool_uses.subagent_type),
    truncated = tool_uses.truncated OR excluded.truncated
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
ON CONFLICT (session_id) DO UPDATE SET
  source = CASE WHEN sessions.source = 'unknown' THEN excluded.source ELSE sessions.source END,
  project = COALESCE(excluded.project, sessions.project),
  cwd = COALESCE(excluded.cwd, sessions.cwd),
  git_branch = COALESCE(excluded.git_branch, sessions.git_branch),
  terminal = COALESCE(excluded.terminal, sessions.terminal),
  "user" = COALESCE(excluded."user", sessions."user"),
  host = COALESCE(excluded.host, sessions.host),
  team_id = COALESCE(excluded.team_id, sessions.team_id),
  model = COALESCE(excluded.model, sessions.model),
  permission_mode = COALESCE(excluded.permission_mode, sessions.permission_mode),
  started_at = LEAST(sessions.started_at, excluded.started_at),
  last_activity_at = GREATEST(sessions.last_activity_at, excluded.last_activity_at),
  last_start_at = GREATEST(sessions.last_start_at, excluded.last_start_at),
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
