import { BIN_COUNT, binOf } from './duration-bins.ts';
import { toolCategoryOf, type ToolCategory } from './tool-category.ts';

/**
 * A tool_uses row as far as analytics cares (times in epoch ms). The rollups and the
 * session counters are a pure function of these rows: a pass that changes a row adds
 * what the row contributes now and takes away what it contributed before, and a deleted
 * session takes away what its rows contributed. So they stay exact (counts equal those of
 * tool_uses) whatever order events arrive in and whichever process derives them.
 */
export interface ToolUseFacts {
  sessionId: string;
  toolName: string;
  inputSummary: string | null;
  status: 'running' | 'succeeded' | 'failed';
  startedAt: number | null;
  endedAt: number | null;
  durationMs: number | null;
  error: string | null;
  subagentType: string | null;
  /** The session's source, project and team when the row was last written: which rollup rows it counts in. */
  source: string | null;
  project: string | null;
  teamId: string | null;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** Per-session counters (sessions table) that the pattern and score rules read. */
export interface SessionCounters {
  toolCalls: number;
  toolsSucceeded: number;
  toolsFailed: number;
  exploreCalls: number;
  editCalls: number;
  testRuns: number;
  delegateCalls: number;
  researchCalls: number;
}

const CATEGORY_COUNTER: Record<ToolCategory, keyof SessionCounters | null> = {
  explore: 'exploreCalls',
  edit: 'editCalls',
  test: 'testRuns',
  delegate: 'delegateCalls',
  research: 'researchCalls',
  other: null,
};

export type Grain = 'all' | 'source' | 'project' | 'team' | 'full';
/** A call counts in its hour and in its UTC day: day rows answer all-time figures and the whole days of a range. */
export type Span = 'hour' | 'day';

/** The key of a tool_rollups row; '' stands for "not part of this grain" or "none". */
export interface RollupKey {
  grain: Grain;
  span: Span;
  source: string;
  project: string;
  teamId: string;
  bucket: number;
  toolName: string;
  subagentType: string;
}

export interface RollupDelta extends RollupKey {
  succeeded: number;
  failed: number;
  timed: number;
  durationSumMs: number;
  bins: number[];
}

export interface ErrorDelta extends Omit<RollupKey, 'subagentType'> {
  error: string;
  failures: number;
}

/** What a pass (or a delete) changes in the analytics tables, summed per row. */
export class AnalyticsDeltas {
  readonly sessions = new Map<string, SessionCounters>();
  private readonly rollups = new Map<string, RollupDelta>();
  private readonly errors = new Map<string, ErrorDelta>();

  /** `before` and `after` are the row's states (null: no row); `sign` -1 flips the whole change. */
  add(before: ToolUseFacts | null, after: ToolUseFacts | null): void {
    if (before) this.apply(before, -1);
    if (after) this.apply(after, 1);
  }

  rollupRows(): RollupDelta[] {
    return sorted(this.rollups).filter((r) => r.succeeded || r.failed || r.timed || r.durationSumMs || r.bins.some((n) => n !== 0));
  }

  errorRows(): ErrorDelta[] {
    return sorted(this.errors).filter((e) => e.failures !== 0);
  }

  sessionRows(): [string, SessionCounters][] {
    return [...this.sessions.entries()]
      .filter(([, c]) => Object.values(c).some((n) => n !== 0))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  private apply(row: ToolUseFacts, sign: 1 | -1): void {
    const counters = this.sessions.get(row.sessionId) ?? emptyCounters();
    this.sessions.set(row.sessionId, counters);
    counters.toolCalls += sign;
    if (row.status === 'succeeded') counters.toolsSucceeded += sign;
    if (row.status === 'failed') counters.toolsFailed += sign;
    const category = CATEGORY_COUNTER[toolCategoryOf(row.toolName, row.inputSummary)];
    if (category) counters[category] += sign;

    if (row.status === 'running') return;
    const at = row.startedAt ?? row.endedAt;
    if (at === null) return;
    const error = row.status === 'failed' && row.error !== null ? errorClassOf(row.error) : null;
    for (const key of grainsOf(row, at)) {
      const id = keyString(key);
      let delta = this.rollups.get(id);
      if (!delta) {
        delta = { ...key, succeeded: 0, failed: 0, timed: 0, durationSumMs: 0, bins: new Array<number>(BIN_COUNT).fill(0) };
        this.rollups.set(id, delta);
      }
      if (row.status === 'succeeded') delta.succeeded += sign;
      else delta.failed += sign;
      if (row.durationMs !== null) {
        delta.timed += sign;
        delta.durationSumMs += sign * row.durationMs;
        delta.bins[binOf(row.durationMs)]! += sign;
      }
      if (error !== null) {
        const { subagentType: _, ...errorKey } = key;
        // tool_error_rollups has no subagent type: Task calls of two types failing alike are one row.
        const eid = `${keyString({ ...key, subagentType: '' })}\u0000${error}`;
        const e = this.errors.get(eid) ?? { ...errorKey, error, failures: 0 };
        e.failures += sign;
        this.errors.set(eid, e);
      }
    }
  }
}

function emptyCounters(): SessionCounters {
  return { toolCalls: 0, toolsSucceeded: 0, toolsFailed: 0, exploreCalls: 0, editCalls: 0, testRuns: 0, delegateCalls: 0, researchCalls: 0 };
}

/**
 * The rollup rows one completed call (started or, without a start, ended at `at`) counts
 * in: per span, one per grain (project and team only when the session has them).
 */
function grainsOf(row: ToolUseFacts, at: number): RollupKey[] {
  const source = row.source ?? '';
  const keys: RollupKey[] = [];
  for (const [span, width] of [['hour', HOUR_MS], ['day', DAY_MS]] as const) {
    const base = { span, bucket: Math.floor(at / width) * width, toolName: row.toolName, subagentType: row.subagentType ?? '' };
    keys.push({ grain: 'all', source: '', project: '', teamId: '', ...base }, { grain: 'source', source, project: '', teamId: '', ...base });
    if (row.project !== null) keys.push({ grain: 'project', source: '', project: row.project, teamId: '', ...base });
    if (row.teamId !== null) keys.push({ grain: 'team', source: '', project: '', teamId: row.teamId, ...base });
    keys.push({ grain: 'full', source, project: row.project ?? '', teamId: row.teamId ?? '', ...base });
  }
  return keys;
}

const keyString = (k: RollupKey) => [k.grain, k.span, k.source, k.project, k.teamId, k.bucket, k.toolName, k.subagentType].join('\u0000');

// One order for every writer, so concurrent PostgreSQL passes lock rollup rows in the same sequence.
function sorted<T>(map: Map<string, T>): T[] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

export const ERROR_CLASS_MAX = 120;

/**
 * The error a failure counts under for "most common error": its first line, at most 120
 * characters (code points, as SQL's substr counts them; migration 0006 fills existing rows
 * by the same rule).
 */
export function errorClassOf(error: string): string {
  const newline = error.indexOf('\n');
  const line = newline < 0 ? error : error.slice(0, newline);
  if (line.length <= ERROR_CLASS_MAX) return line;
  return Array.from(line).slice(0, ERROR_CLASS_MAX).join('');
}
