import { BIN_COLUMNS } from './duration-bins.ts';
import type { SessionCounters } from './tool-use-contribution.ts';

/**
 * The statements that apply AnalyticsDeltas, shared by both dialects: the rollups add up
 * on conflict, and sessions' counters add their deltas.
 */
export const ROLLUP_KEY = ['grain', 'span', 'source', 'project', 'team_id', 'bucket', 'tool_name', 'subagent_type'] as const;
export const ROLLUP_VALUES = ['succeeded', 'failed', 'timed', 'duration_sum_ms', ...BIN_COLUMNS] as const;
export const ERROR_KEY = ['grain', 'span', 'source', 'project', 'team_id', 'bucket', 'tool_name', 'error'] as const;

const addUp = (table: string, columns: readonly string[]) => columns.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ');

/** `rows`: the SELECT (or VALUES) that yields the key then value columns in ROLLUP_KEY, ROLLUP_VALUES order. */
export function rollupUpsertSql(rows: string): string {
  return `INSERT INTO tool_rollups (${[...ROLLUP_KEY, ...ROLLUP_VALUES].join(', ')})
${rows}
ON CONFLICT (${ROLLUP_KEY.join(', ')}) DO UPDATE SET ${addUp('tool_rollups', ROLLUP_VALUES)}`;
}

export function errorUpsertSql(rows: string): string {
  return `INSERT INTO tool_error_rollups (${ERROR_KEY.join(', ')}, failures)
${rows}
ON CONFLICT (${ERROR_KEY.join(', ')}) DO UPDATE SET failures = tool_error_rollups.failures + excluded.failures`;
}

export const SESSION_COUNTER_COLUMNS: Record<keyof SessionCounters, string> = {
  toolCalls: 'tool_calls',
  toolsSucceeded: 'tools_succeeded',
  toolsFailed: 'tools_failed',
  exploreCalls: 'explore_calls',
  editCalls: 'edit_calls',
  testRuns: 'test_runs',
  delegateCalls: 'delegate_calls',
  researchCalls: 'research_calls',
};
export const COUNTER_KEYS = Object.keys(SESSION_COUNTER_COLUMNS) as (keyof SessionCounters)[];

/** The tool_uses columns a contribution reads (ToolUseFacts), for SELECT and RETURNING lists. */
export const FACT_COLUMNS =
  'session_id, tool_name, input_summary, status, started_at, ended_at, duration_ms, error, subagent_type, source, project, team_id';
