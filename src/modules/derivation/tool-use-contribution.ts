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

/** What a rollup row counts, and so also what a pass sums of its calls before spreading them. */
interface RollupCounts {
  succeeded: number;
  failed: number;
  timed: number;
  durationSumMs: number;
  bins: number[];
}

export interface RollupDelta extends RollupKey, RollupCounts {}

export interface ErrorDelta extends Omit<RollupKey, 'subagentType'> {
  error: string;
  failures: number;
}

/**
 * A pass's completed calls summed per session dimensions, tool and hour, before they are
 * spread over grains and spans: a pass holds far fewer of these than calls (a session
 * calls the same tools within the hour), and spreading each call over its ten rollup rows
 * was most of a pass's JavaScript time.
 */
interface CallSum extends RollupCounts {
  source: string;
  project: string | null;
  teamId: string | null;
  hour: number;
  toolName: string;
  subagentType: string;
  /** Failures per error class. */
  errors: Map<string, number>;
}

/** What a pass (or a delete) changes in the analytics tables, summed per row. */
export class AnalyticsDeltas {
  readonly sessions = new Map<string, SessionCounters>();
  private readonly calls = new Map<string, CallSum>();

  /** `before` and `after` are the row's states (null: no row): takes away what it counted, adds what it counts. */
  add(before: ToolUseFacts | null, after: ToolUseFacts | null): void {
    if (before) this.apply(before, -1);
    if (after) this.apply(after, 1);
  }

  rollupRows(): RollupDelta[] {
    const rollups = new Map<string, RollupDelta>();
    for (const sum of this.calls.values()) {
      for (const key of grainsOf(sum)) {
        const id = keyString(key);
        let delta = rollups.get(id);
        if (!delta) {
          delta = { ...key, ...noCounts() };
          rollups.set(id, delta);
        }
        delta.succeeded += sum.succeeded;
        delta.failed += sum.failed;
        delta.timed += sum.timed;
        delta.durationSumMs += sum.durationSumMs;
        for (let i = 0; i < BIN_COUNT; i++) delta.bins[i]! += sum.bins[i]!;
      }
    }
    return sorted(rollups).filter((r) => r.succeeded || r.failed || r.timed || r.durationSumMs || r.bins.some((n) => n !== 0));
  }

  errorRows(): ErrorDelta[] {
    const errors = new Map<string, ErrorDelta>();
    for (const sum of this.calls.values()) {
      if (sum.errors.size === 0) continue;
      for (const key of grainsOf(sum)) {
        // tool_error_rollups has no subagent type: Task calls of two types failing alike are one row.
        const { subagentType: _, ...errorKey } = key;
        const prefix = keyString({ ...key, subagentType: '' });
        for (const [error, failures] of sum.errors) {
          const id = `${prefix}\u0000${error}`;
          const e = errors.get(id) ?? { ...errorKey, error, failures: 0 };
          e.failures += failures;
          errors.set(id, e);
        }
      }
    }
    return sorted(errors).filter((e) => e.failures !== 0);
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
    const hour = Math.floor(at / HOUR_MS) * HOUR_MS;
    const source = row.source ?? '';
    const subagentType = row.subagentType ?? '';
    // A missing project or team makes no row of its grain, an empty one does: keep them apart.
    const id = [
      source,
      row.project === null ? '' : `=${row.project}`,
      row.teamId === null ? '' : `=${row.teamId}`,
      hour,
      row.toolName,
      subagentType,
    ].join('\u0000');
    let sum = this.calls.get(id);
    if (!sum) {
      sum = {
        source,
        project: row.project,
        teamId: row.teamId,
        hour,
        toolName: row.toolName,
        subagentType,
        ...noCounts(),
        errors: new Map(),
      };
      this.calls.set(id, sum);
    }
    if (row.status === 'succeeded') sum.succeeded += sign;
    else sum.failed += sign;
    if (row.durationMs !== null) {
      sum.timed += sign;
      sum.durationSumMs += sign * row.durationMs;
      sum.bins[binOf(row.durationMs)]! += sign;
    }
    if (row.status === 'failed' && row.error !== null) {
      const error = errorClassOf(row.error);
      sum.errors.set(error, (sum.errors.get(error) ?? 0) + sign);
    }
  }
}

function noCounts(): RollupCounts {
  return { succeeded: 0, failed: 0, timed: 0, durationSumMs: 0, bins: new Array<number>(BIN_COUNT).fill(0) };
}

function emptyCounters(): SessionCounters {
  return {
    toolCalls: 0,
    toolsSucceeded: 0,
    toolsFailed: 0,
    exploreCalls: 0,
    editCalls: 0,
    testRuns: 0,
    delegateCalls: 0,
    researchCalls: 0,
  };
}

/**
 * The rollup rows the calls of `sum` count in: per span (the hour they started in, or
 * ended without a start, and its UTC day), one per grain (project and team only when the
 * session has them).
 */
function grainsOf(sum: CallSum): RollupKey[] {
  const { source, project, teamId, toolName, subagentType } = sum;
  const keys: RollupKey[] = [];
  for (const [span, bucket] of [
    ['hour', sum.hour],
    ['day', Math.floor(sum.hour / DAY_MS) * DAY_MS],
  ] as const) {
    const base = { span, bucket, toolName, subagentType };
    keys.push(
      { grain: 'all', source: '', project: '', teamId: '', ...base },
      { grain: 'source', source, project: '', teamId: '', ...base },
    );
    if (project !== null) keys.push({ grain: 'project', source: '', project, teamId: '', ...base });
    if (teamId !== null) keys.push({ grain: 'team', source: '', project: '', teamId, ...base });
    keys.push({ grain: 'full', source, project: project ?? '', teamId: teamId ?? '', ...base });
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
