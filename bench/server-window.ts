// What the server itself reports over one measurement: two /metrics/prometheus scrapes,
// subtracted. Commit sizes show whether group commit merges requests; CPU and GC time
// show whether the server, not the storage, is the limit.

export type PromSnapshot = Map<string, number>;

export function parsePrometheus(text: string): PromSnapshot {
  const series: PromSnapshot = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    const value = Number(line.slice(space + 1));
    if (Number.isFinite(value)) series.set(line.slice(0, space), value);
  }
  return series;
}

export interface ServerWindow {
  seconds: number;
  commits: number;
  committedEvents: number;
  commitSeconds: number;
  /** Cumulative commit counts per `le` bound of hookd_commit_events, over the window. */
  commitSizeBuckets: [string, number][];
  cpuSeconds: number;
  gcSeconds: number;
  /**
   * Events stored but not derived yet when the window ended, and how long the oldest had
   * waited; `reported` is false for a server that derives nothing (the baselines).
   */
  derivationBacklog: { events: number; lagSeconds: number; reported: boolean };
}

const delta = (before: PromSnapshot, after: PromSnapshot, name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);

function sumMatching(before: PromSnapshot, after: PromSnapshot, prefix: string): number {
  let total = 0;
  for (const name of after.keys()) if (name.startsWith(prefix)) total += delta(before, after, name);
  return total;
}

export function serverWindow(before: PromSnapshot, after: PromSnapshot, seconds: number): ServerWindow {
  const buckets: [string, number][] = [];
  for (const name of after.keys()) {
    const match = /^hookd_commit_events_bucket\{le="([^"]+)"\}$/.exec(name);
    if (match) buckets.push([match[1]!, delta(before, after, name)]);
  }
  return {
    seconds,
    commits: delta(before, after, 'hookd_commit_events_count'),
    committedEvents: delta(before, after, 'hookd_commit_events_sum'),
    commitSeconds: delta(before, after, 'hookd_commit_duration_seconds_sum'),
    commitSizeBuckets: buckets,
    cpuSeconds: delta(before, after, 'process_cpu_seconds_total'),
    gcSeconds: sumMatching(before, after, 'nodejs_gc_duration_seconds_sum'),
    derivationBacklog: {
      events: after.get('hookd_derivation_backlog_events') ?? 0,
      lagSeconds: after.get('hookd_derivation_lag_seconds') ?? 0,
      reported: after.has('hookd_derivation_backlog_events') && after.has('hookd_derivation_lag_seconds'),
    },
  };
}

/**
 * Whether the derivation kept up with what a run acknowledged: at the end at most one
 * second's worth of that run's events left to derive, the oldest waiting under a second.
 * Null when the server reports no derivation. An acknowledgement rate the derivation cannot
 * follow only moves the work to later, where it slows reads and the next burst.
 */
export function derivedAtEnd(window: ServerWindow, eventsPerSec: number): boolean | null {
  const backlog = window.derivationBacklog;
  if (!backlog.reported) return null;
  return backlog.events <= eventsPerSec && backlog.lagSeconds < 1;
}

/** "≤1: 3%, ≤5: 40%, ..." — the share of commits in each size band. */
export function describeCommitSizes(window: ServerWindow): string {
  if (window.commits === 0) return 'no commits';
  const parts: string[] = [];
  let previous = 0;
  for (const [le, cumulative] of window.commitSizeBuckets) {
    const inBand = cumulative - previous;
    previous = cumulative;
    if (inBand > 0) parts.push(`${le === '+Inf' ? '>5000' : `≤${le}`}: ${Math.round((inBand / window.commits) * 100)}%`);
  }
  return parts.join(', ');
}
