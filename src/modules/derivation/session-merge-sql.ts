import type { SqlDialect } from '../../db/sql-dialect.ts';

/**
 * The merge rules of the derived tables, written once for both dialects: the ON CONFLICT
 * ... DO UPDATE SET clauses of the tool_uses and sessions upserts. What differs between
 * SQLite and PostgreSQL is the SqlDialect's, never a second copy of a rule.
 * - a tool call's start is its first Pre, its end and outcome the latest Post/Failure;
 *   duration is the payload's duration_ms, else end - start (never negative);
 * - a session's times widen, counters add up, descriptive fields take the newest non-null;
 * - an end is kept unless a later start (resume) or, for a `stale` end, later activity reopens it;
 * - idleness follows the latest idle-relevant event, a turn's error the latest error-relevant one;
 * - a tool call's source, project and team are its session's as of the latest write (analytics counts it there).
 */

export const nonNegative = (expr: string) => `CASE WHEN ${expr} < 0 THEN 0 ELSE ${expr} END`;

export function toolUseMergeSet(d: SqlDialect): string {
  const elapsed = d.elapsedMs('COALESCE(excluded.ended_at, tool_uses.ended_at)', 'COALESCE(tool_uses.started_at, excluded.started_at)');
  return `
  tool_name = CASE WHEN excluded.tool_name = 'unknown' THEN tool_uses.tool_name ELSE excluded.tool_name END,
  input_summary = COALESCE(excluded.input_summary, tool_uses.input_summary),
  started_at = COALESCE(tool_uses.started_at, excluded.started_at),
  ended_at = COALESCE(excluded.ended_at, tool_uses.ended_at),
  reported_duration_ms = COALESCE(excluded.reported_duration_ms, tool_uses.reported_duration_ms),
  duration_ms = COALESCE(excluded.reported_duration_ms, tool_uses.reported_duration_ms, ${nonNegative(elapsed)}),
  status = CASE WHEN excluded.status = 'running' THEN tool_uses.status ELSE excluded.status END,
  error = CASE WHEN excluded.status = 'running' THEN tool_uses.error ELSE excluded.error END,
  interrupted = COALESCE(excluded.interrupted, tool_uses.interrupted),
  agent_id = COALESCE(excluded.agent_id, tool_uses.agent_id),
  agent_type = COALESCE(excluded.agent_type, tool_uses.agent_type),
  subagent_type = COALESCE(excluded.subagent_type, tool_uses.subagent_type),
  truncated = ${d.either('tool_uses.truncated', 'excluded.truncated')},
${AGENT_RUN_COLUMNS.map((c) => `  ${c} = COALESCE(excluded.${c}, tool_uses.${c}),`).join('\n')}
  source = excluded.source,
  project = excluded.project,
  team_id = excluded.team_id`;
}

/** Columns a tool call keeps the newest non-null value of: its prompt, what its subagent used, its task. */
export const AGENT_RUN_COLUMNS = [
  'prompt_id',
  'agent_total_tokens',
  'agent_input_tokens',
  'agent_output_tokens',
  'agent_cache_read_tokens',
  'agent_cache_creation_tokens',
  'agent_model',
  'agent_run_id',
  'task_id',
] as const;

const ENDS_NOW = `excluded.ended_at IS NOT NULL
      AND (sessions.ended_at IS NULL OR excluded.ended_at >= sessions.ended_at)
      AND (sessions.last_start_at IS NULL OR excluded.ended_at >= sessions.last_start_at)`;
const REOPENS = `sessions.ended_at IS NOT NULL
      AND (excluded.last_start_at > sessions.ended_at
           OR (sessions.end_reason = 'stale' AND excluded.last_activity_at > sessions.ended_at))`;
const IDLE_NEWER = `excluded.idle_changed_at IS NOT NULL
      AND (sessions.idle_changed_at IS NULL OR excluded.idle_changed_at >= sessions.idle_changed_at)`;
const ERROR_NEWER = `excluded.error_changed_at IS NOT NULL
      AND (sessions.error_changed_at IS NULL OR excluded.error_changed_at >= sessions.error_changed_at)`;
const TASK_NEWER = `excluded.task_at IS NOT NULL AND (sessions.task_at IS NULL OR excluded.task_at >= sessions.task_at)`;
const NEWEST = ['project', 'cwd', 'git_branch', 'terminal', 'host', 'team_id', 'model', 'permission_mode'];
const COUNTERS = ['events', 'prompts', 'tool_calls', 'failures', 'subagents', 'permission_denials', 'stop_failures'];

export function sessionMergeSet(d: SqlDialect): string {
  // `user` is a reserved word in PostgreSQL; both dialects take it quoted.
  const newest = ['"user"', ...NEWEST].map((c) => `  ${c} = COALESCE(excluded.${c}, sessions.${c}),`).join('\n');
  const counters = COUNTERS.map((c) => `  ${c} = sessions.${c} + excluded.${c},`).join('\n');
  return `
  source = CASE WHEN sessions.source = 'unknown' THEN excluded.source ELSE sessions.source END,
${newest}
  started_at = ${d.least('sessions.started_at', 'excluded.started_at')},
  last_activity_at = ${d.greatest('sessions.last_activity_at', 'excluded.last_activity_at')},
  last_start_at = ${d.greatestOfNullable('sessions.last_start_at', 'excluded.last_start_at')},
  ended_at = CASE WHEN ${ENDS_NOW} THEN excluded.ended_at WHEN ${REOPENS} THEN NULL ELSE sessions.ended_at END,
  end_reason = CASE WHEN ${ENDS_NOW} THEN excluded.end_reason WHEN ${REOPENS} THEN NULL ELSE sessions.end_reason END,
  idle_since = CASE WHEN NOT (${IDLE_NEWER}) THEN sessions.idle_since
                    WHEN excluded.idle_since IS NULL THEN NULL
                    ELSE COALESCE(sessions.idle_since, excluded.idle_since) END,
  idle_changed_at = CASE WHEN ${IDLE_NEWER} THEN excluded.idle_changed_at ELSE sessions.idle_changed_at END,
  error_kind = CASE WHEN ${ERROR_NEWER} THEN excluded.error_kind ELSE sessions.error_kind END,
  error_message = CASE WHEN ${ERROR_NEWER} THEN excluded.error_message ELSE sessions.error_message END,
  error_changed_at = CASE WHEN ${ERROR_NEWER} THEN excluded.error_changed_at ELSE sessions.error_changed_at END,
  task_id = CASE WHEN ${TASK_NEWER} THEN excluded.task_id ELSE sessions.task_id END,
  task_at = ${d.greatestOfNullable('sessions.task_at', 'excluded.task_at')},
${counters}
  updated_at = excluded.updated_at`;
}

/** A session's subagent: its type once known, the earliest start and latest end seen. */
export function agentMergeSet(d: SqlDialect): string {
  return `
  agent_type = COALESCE(excluded.agent_type, session_agents.agent_type),
  started_at = ${d.leastOfNullable('session_agents.started_at', 'excluded.started_at')},
  ended_at = ${d.greatestOfNullable('session_agents.ended_at', 'excluded.ended_at')},
  first_seen_at = ${d.least('session_agents.first_seen_at', 'excluded.first_seen_at')},
  last_seen_at = ${d.greatest('session_agents.last_seen_at', 'excluded.last_seen_at')}`;
}

/** A task a session worked on: the earliest and latest event naming it, and their count. */
export function taskLinkMergeSet(d: SqlDialect): string {
  return `
  first_at = ${d.least('session_tasks.first_at', 'excluded.first_at')},
  last_at = ${d.greatest('session_tasks.last_at', 'excluded.last_at')},
  events = session_tasks.events + excluded.events`;
}
