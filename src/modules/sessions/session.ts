import type { ReadScope } from '../../core/read-scope.ts';
import type { AgentChange } from '../derivation/session-derivation.ts';

/** A session as the API returns it. */
export interface Session {
  session_id: string;
  source: string;
  project: string | null;
  cwd: string | null;
  git_branch: string | null;
  terminal: string | null;
  user: string | null;
  host: string | null;
  team_id: string | null;
  model: string | null;
  permission_mode: string | null;
  status: 'active' | 'idle' | 'ended';
  started_at: string;
  last_activity_at: string;
  ended_at: string | null;
  end_reason: string | null;
  idle_since: string | null;
  events: number;
  prompts: number;
  tool_calls: number;
  failures: number;
  subagents: number;
  /** Calls the auto mode denied (PermissionDenied). */
  permission_denials: number;
  /** Turns that ended in an API error (StopFailure). */
  stop_failures: number;
  /** The latest turn's API error kind (rate_limit, overloaded, ...) until the next prompt. */
  error_kind: string | null;
  error_message: string | null;
  /** Tokens of the session's model requests (the agents' telemetry or transcripts). */
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_creation_tokens: number;
  /** US dollars: as the agent reported, else priced from the tokens; unpriced tokens excluded. */
  cost_usd: number;
  /** Tokens of models without a known price, whose cost is not in cost_usd. */
  unpriced_tokens: number;
  /** The task of its latest event that names one (a CI/CD task id). */
  task_id: string | null;
}

/** A session_agents row as the stores read it (times epoch ms): what the derivation wrote. */
export type SessionAgentRow = Omit<AgentChange, 'sessionId'>;

/** A task a session worked on (session_tasks). */
export interface SessionTask {
  task_id: string;
  first_at: string;
  last_at: string;
  /** Its events that named the task. */
  events: number;
}

export function sessionTaskFromRow(row: Record<string, unknown>): SessionTask {
  return {
    task_id: row.task_id as string,
    first_at: iso(row.first_at as Time)!,
    last_at: iso(row.last_at as Time)!,
    events: Number(row.events),
  };
}

/** A session's counted token usage of one prompt and model (GET /sessions/{id} `usage`). */
export interface PromptUsage {
  prompt_id: string | null;
  model: string | null;
  /** When its first request was made. */
  first_at: string;
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_creation_tokens: number;
  cost_usd: number;
  unpriced_tokens: number;
}

/** What an Agent/Task call's result says of the subagent it ran. */
export interface AgentRunOut {
  total_tokens: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cache_read_tokens: number | null;
  cache_creation_tokens: number | null;
  model: string | null;
  agent_id: string | null;
}

export interface ToolUse {
  session_id: string;
  tool_use_id: string;
  tool_name: string;
  input_summary: string | null;
  status: 'running' | 'succeeded' | 'failed';
  started_at: string | null;
  ended_at: string | null;
  duration_ms: number | null;
  error: string | null;
  interrupted: boolean | null;
  agent_id: string | null;
  agent_type: string | null;
  subagent_type: string | null;
  truncated: boolean;
  /** The prompt (Claude Code) or turn (Codex) that caused the call. */
  prompt_id: string | null;
  agent_run: AgentRunOut | null;
  /** The task its events named, else the session's at the time. */
  task_id: string | null;
}

export interface ToolUseFilter {
  sessionId?: string;
  toolName?: string;
  limit: number;
}

export type SessionStatus = 'active' | 'idle' | 'ended' | 'open';

export interface SessionFilter {
  /** `open` = active or idle. */
  status?: SessionStatus;
  project?: string;
  source?: string;
  gitBranch?: string;
  model?: string;
  /** Start time, epoch ms: `from` inclusive, `to` exclusive. */
  from?: number;
  to?: number;
  /** Sessions with (true) or without (false) a tool call that failed (tools_failed). */
  hasFailures?: boolean;
  limit: number;
  /** Keyset position: sessions after this one in (last_activity_at, session_id) descending order. */
  after?: { lastActivityAt: number; sessionId: string };
}

/** SQL conditions per status, the same text on both dialects. */
export const STATUS_SQL: Record<SessionStatus, string> = {
  active: 'ended_at IS NULL AND idle_since IS NULL',
  idle: 'ended_at IS NULL AND idle_since IS NOT NULL',
  ended: 'ended_at IS NOT NULL',
  open: 'ended_at IS NULL',
};

/** Open sessions by status now, and sessions ended since a time (GET /stats/sessions). */
export interface SessionCounts {
  active: number;
  idle: number;
  ended: number;
}

export interface SessionStore {
  /** Newest activity first; one more row than `limit` tells the caller another page exists. */
  list(filter: SessionFilter, scope: ReadScope): Promise<Session[]>;
  /** `endedSince`: epoch ms. */
  counts(endedSince: number, scope: ReadScope): Promise<SessionCounts>;
  get(sessionId: string, scope: ReadScope): Promise<Session | null>;
  /** The session's subagents, when the session is visible to `scope`. */
  agents(sessionId: string, scope: ReadScope): Promise<SessionAgentRow[]>;
  /** Its counted token usage per prompt and model, in the order of their first request. */
  usage(sessionId: string, scope: ReadScope): Promise<PromptUsage[]>;
  /** The tasks its events named, in the order it first worked on them. */
  tasks(sessionId: string, scope: ReadScope): Promise<SessionTask[]>;
  toolUses(filter: ToolUseFilter, scope: ReadScope): Promise<ToolUse[]>;
}

/** Isolation, as in the events store: a bound token never sees another team's or session's rows. */
export function visible(row: Record<string, unknown>, scope: ReadScope): boolean {
  if (scope.sessionId && row.session_id !== scope.sessionId) return false;
  if (scope.teamId && row.team_id !== scope.teamId) return false;
  return true;
}

type Time = number | Date | null;
const iso = (t: Time): string | null => (t === null ? null : new Date(t).toISOString());

/** Row -> API shape, for both dialects: times as ms (SQLite) or Date (pg), counts maybe bigint strings. */
export function sessionFromRow(row: Record<string, unknown>): Session {
  const endedAt = row.ended_at as Time;
  const idleSince = row.idle_since as Time;
  return {
    session_id: row.session_id as string,
    source: row.source as string,
    project: (row.project as string | null) ?? null,
    cwd: (row.cwd as string | null) ?? null,
    git_branch: (row.git_branch as string | null) ?? null,
    terminal: (row.terminal as string | null) ?? null,
    user: (row.user as string | null) ?? null,
    host: (row.host as string | null) ?? null,
    team_id: (row.team_id as string | null) ?? null,
    model: (row.model as string | null) ?? null,
    permission_mode: (row.permission_mode as string | null) ?? null,
    status: endedAt !== null ? 'ended' : idleSince !== null ? 'idle' : 'active',
    started_at: iso(row.started_at as Time)!,
    last_activity_at: iso(row.last_activity_at as Time)!,
    ended_at: iso(endedAt),
    end_reason: (row.end_reason as string | null) ?? null,
    idle_since: iso(idleSince),
    events: Number(row.events),
    prompts: Number(row.prompts),
    tool_calls: Number(row.tool_calls),
    failures: Number(row.failures),
    subagents: Number(row.subagents),
    permission_denials: Number(row.permission_denials ?? 0),
    stop_failures: Number(row.stop_failures ?? 0),
    error_kind: (row.error_kind as string | null) ?? null,
    error_message: (row.error_message as string | null) ?? null,
    input_tokens: Number(row.input_tokens ?? 0),
    output_tokens: Number(row.output_tokens ?? 0),
    cache_read_tokens: Number(row.cache_read_tokens ?? 0),
    cache_creation_tokens: Number(row.cache_creation_tokens ?? 0),
    cost_usd: Number(row.cost_usd ?? 0),
    unpriced_tokens: Number(row.unpriced_tokens ?? 0),
    task_id: (row.task_id as string | null) ?? null,
  };
}

export function toolUseFromRow(row: Record<string, unknown>): ToolUse {
  const flag = (v: unknown) => (v === null || v === undefined ? null : Boolean(v));
  return {
    session_id: row.session_id as string,
    tool_use_id: row.tool_use_id as string,
    tool_name: row.tool_name as string,
    input_summary: (row.input_summary as string | null) ?? null,
    status: row.status as ToolUse['status'],
    started_at: iso(row.started_at as Time),
    ended_at: iso(row.ended_at as Time),
    duration_ms: row.duration_ms === null ? null : Number(row.duration_ms),
    error: (row.error as string | null) ?? null,
    interrupted: flag(row.interrupted),
    agent_id: (row.agent_id as string | null) ?? null,
    agent_type: (row.agent_type as string | null) ?? null,
    subagent_type: (row.subagent_type as string | null) ?? null,
    truncated: Boolean(row.truncated),
    prompt_id: (row.prompt_id as string | null) ?? null,
    agent_run: agentRunFromRow(row),
    task_id: (row.task_id as string | null) ?? null,
  };
}

function agentRunFromRow(row: Record<string, unknown>): AgentRunOut | null {
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const run: AgentRunOut = {
    total_tokens: n(row.agent_total_tokens),
    input_tokens: n(row.agent_input_tokens),
    output_tokens: n(row.agent_output_tokens),
    cache_read_tokens: n(row.agent_cache_read_tokens),
    cache_creation_tokens: n(row.agent_cache_creation_tokens),
    model: (row.agent_model as string | null) ?? null,
    agent_id: (row.agent_run_id as string | null) ?? null,
  };
  return Object.values(run).every((v) => v === null) ? null : run;
}

export function promptUsageFromRow(row: Record<string, unknown>): PromptUsage {
  const n = (v: unknown) => Number(v ?? 0);
  return {
    prompt_id: (row.prompt_id as string | null) ?? null,
    model: (row.model as string | null) ?? null,
    first_at: iso(row.first_at as Time)!,
    requests: n(row.requests),
    input_tokens: n(row.input_tokens),
    output_tokens: n(row.output_tokens),
    cache_read_tokens: n(row.cache_read_tokens),
    cache_creation_tokens: n(row.cache_creation_tokens),
    cost_usd: n(row.cost_usd),
    unpriced_tokens: n(row.unpriced_tokens),
  };
}
