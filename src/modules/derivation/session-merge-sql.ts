import type { SqlDialect } from '../../db/sql-dialect.ts';

/**
 * The merge rules of the derived tables, written once for both dialects: the ON CONFLICT
 * ... DO UPDATE SET clauses of the tool_uses and sessions upserts. What differs between
 * SQLite and PostgreSQL is the SqlDialect's, never a second copy of a rule.
 * - a tool call's start is its first Pre, its end and outcome the latest Post/Failure;
 *   duration is the payload's duration_ms, else end - start (never negative);
 * - a session's times widen, counters add up, descriptive fields take the newest non-null;
 * - an end is kept unless a later start (resume) or, for a `stale` end, later activity reopens it;
 * - idleness follows the latest idle-relevant event;
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
  source = excluded.source,
  project = excluded.project,
  team_id = excluded.team_id`;
}

const ENDS_NOW = `excluded.ended_at IS NOT NULL
      AND (sessions.ended_at IS NULL OR excluded.ended_at >= sessions.ended_at)
      AND (sessions.last_start_at IS NULL OR excluded.ended_at >= sessions.last_start_at)`;
const REOPENS = `sessions.ended_at IS NOT NULL
      AND (excluded.last_start_at > sessions.ended_at
           OR (sessions.end_reason = 'stale' AND excluded.last_activity_at > sessions.ended_at))`;
const IDLE_NEWER = `excluded.idle_changed_at IS NOT NULL
      AND (sessions.idle_changed_at IS NULL OR excluded.idle_changed_at >= sessions.idle_changed_at)`;
const NEWEST = ['project', 'cwd', 'git_branch', 'terminal', 'host', 'team_id', 'model', 'permission_mode'];
const COUNTERS = ['events', 'prompts', 'tool_calls', 'failures', 'subagents'];

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
${counters}
  updated_at = excluded.updated_at`;
}
