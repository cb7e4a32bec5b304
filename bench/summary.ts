// Reduces the repeated runs of each measurement to medians, so one noisy run (a WAL
// checkpoint, a GC pause, the neighbour on the VM) does not decide the figure.
import type { LoadResult } from './load.ts';
import { MEASUREMENTS, type MeasurementKey } from './measurements.ts';
import { RAW_MODES, type RateFigure, type RawMode } from './raw-insert.ts';
import type { MachineWindow } from './machine-load.ts';
import { describeCommitSizes, type ServerWindow } from './server-window.ts';
import type { StorageKey } from './bench-storages.ts';
import type { StoreCheck } from './store-check.ts';
import type { DatabaseSize } from './database-size.ts';

export interface HttpRun {
  /** 1-based: the round of the benchmark this run belongs to. */
  round: number;
  load: LoadResult;
  server: ServerWindow;
  machine: MachineWindow & {
    /** Busy CPU not taken by the server or the load generator, in % of one core. */
    otherPercent: number;
  };
  /** See derivedAtEnd(); null when the server derives nothing. */
  derived: boolean | null;
}

/**
 * A storage hookd runs on; the baseline (the peer's work on hookd's stack, bench/baseline-server.ts);
 * or the bare Fastify that stores nothing (BENCH_NOOP=1).
 */
export type TargetKey = StorageKey | 'baseline' | 'noop';

export const isHookd = (key: TargetKey): key is StorageKey => key !== 'baseline' && key !== 'noop';

export interface NotDerivedRun {
  round: number;
  eventsPerSec: number;
  /** The backlog at the end of the run. */
  backlogEvents: number;
  lagSeconds: number;
}

export type HttpRuns = Partial<Record<MeasurementKey, HttpRun[]>>;

/** The history loaded before one BENCH_HISTORY size's measurements (bench/ingest-history.ts). */
export interface HistoryLoad {
  events: number;
  /** Sending and waiting for acknowledgements. */
  seconds: number;
  eventsPerSec: number;
  /** 503 replies (queue full) retried after their Retry-After. */
  retries: number;
  /** From the last acknowledgement until the derivation had caught up. */
  catchUpSeconds: number;
}

/** One BENCH_HISTORY size of a hookd storage: what the store held, how it got there, what was measured. */
export interface HistoryStage {
  /** The BENCH_HISTORY entry. */
  target: number;
  /** Acknowledged events in the store as the measurements began: history plus what earlier sizes' runs stored. */
  stored: number;
  /** null when the store already held `target` events. */
  load: HistoryLoad | null;
  size?: DatabaseSize;
  /** Why the size could not be read. */
  sizeError?: string;
  /** The first size's are `StorageRun.http` itself, which the floors and the usual tables read. */
  http: HttpRuns;
}

export interface StorageRun {
  storage: { key: TargetKey; label: string };
  facts: string;
  skipped?: string;
  failed?: string;
  http: HttpRuns;
  raw: Partial<Record<RawMode, RateFigure[]>>;
  check?: StoreCheck;
  /** BENCH_HISTORY only, hookd storages only: one stage per size, in order. */
  history?: HistoryStage[];
}

export interface HttpSummary {
  runs: number;
  requestsPerSec: number;
  eventsPerSec: number;
  p50: number;
  p99: number;
  eventsPerCommit: number;
  commitsPerSec: number;
  commitMs: number;
  serverCpuPercent: number;
  /** Server CPU time per stored event: fairly robust against a busy neighbour. */
  serverCpuMicrosPerEvent: number;
  gcPercent: number;
  loadCpuPercent: number;
  otherCpuPercent: number;
  stealPercent: number;
  non2xx: number;
  errors: number;
  /** Runs whose derivation kept up (derivedAtEnd), of `runs`; null when the server derives nothing. */
  derivedRuns: number | null;
  notDerived: NotDerivedRun[];
  /** Commit-size bands of the run with the median event rate. */
  commitSizes: string;
}

export interface RawSummary {
  runs: number;
  eventsPerSec: number;
  eventsPerCommit: number;
  events: number;
  otherCpuPercent: number;
}

export type HttpSummaries = Partial<Record<MeasurementKey, HttpSummary>>;

export interface HistoryStageSummary extends Omit<HistoryStage, 'http'> {
  http: HttpSummaries;
}

export interface StorageSummary {
  key: TargetKey;
  label: string;
  facts: string;
  skipped?: string;
  failed?: string;
  http: HttpSummaries;
  raw: Partial<Record<RawMode, RawSummary>>;
  check?: StoreCheck;
  history?: HistoryStageSummary[];
}

export function median(values: readonly number[]): number {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return NaN;
  const mid = finite.length >> 1;
  return finite.length % 2 ? finite[mid]! : (finite[mid - 1]! + finite[mid]!) / 2;
}

function summariseHttp(runs: HttpRun[]): HttpSummary {
  const m = (f: (run: HttpRun) => number) => median(runs.map(f));
  const byRate = [...runs].sort((a, b) => a.load.eventsPerSec - b.load.eventsPerSec);
  const middle = byRate[(byRate.length - 1) >> 1]!;
  const non2xx = (run: HttpRun) =>
    Object.entries(run.load.statusCounts).reduce((n, [status, count]) => (status.startsWith('2') ? n : n + count), 0);
  return {
    runs: runs.length,
    requestsPerSec: m((r) => r.load.requestsPerSec),
    eventsPerSec: m((r) => r.load.eventsPerSec),
    p50: m((r) => r.load.latencyMs.p50),
    p99: m((r) => r.load.latencyMs.p99),
    eventsPerCommit: m((r) => r.server.committedEvents / r.server.commits),
    // A server without hookd's metrics reports no commits: '-', not 0.
    commitsPerSec: m((r) => (r.server.commits ? r.server.commits / r.server.seconds : NaN)),
    commitMs: m((r) => (r.server.commitSeconds / r.server.commits) * 1000),
    serverCpuPercent: m((r) => (r.server.cpuSeconds / r.server.seconds) * 100),
    serverCpuMicrosPerEvent: m((r) => (r.server.cpuSeconds / r.load.ackedEvents) * 1e6),
    gcPercent: m((r) => (r.server.gcSeconds / r.server.seconds) * 100),
    loadCpuPercent: m((r) => r.load.cpuPercent),
    otherCpuPercent: m((r) => r.machine.otherPercent),
    stealPercent: m((r) => r.machine.stealPercent),
    non2xx: runs.reduce((n, r) => n + non2xx(r), 0),
    errors: runs.reduce((n, r) => n + r.load.errors + r.load.timeouts, 0),
    derivedRuns: runs.every((r) => r.derived === null) ? null : runs.filter((r) => r.derived === true).length,
    notDerived: runs
      .filter((r) => r.derived === false)
      .map((r) => ({
        round: r.round,
        eventsPerSec: r.load.eventsPerSec,
        backlogEvents: r.server.derivationBacklog.events,
        lagSeconds: r.server.derivationBacklog.lagSeconds,
      })),
    commitSizes: describeCommitSizes(middle.server),
  };
}

function summariseHttpRuns(http: HttpRuns): HttpSummaries {
  const summaries: HttpSummaries = {};
  for (const { key } of MEASUREMENTS) {
    const runs = http[key];
    if (runs?.length) summaries[key] = summariseHttp(runs);
  }
  return summaries;
}

export function summariseStorage(run: StorageRun): StorageSummary {
  const summary: StorageSummary = { key: run.storage.key, label: run.storage.label, facts: run.facts, http: {}, raw: {} };
  if (run.skipped) summary.skipped = run.skipped;
  if (run.failed) summary.failed = run.failed;
  if (run.check) summary.check = run.check;
  summary.http = summariseHttpRuns(run.http);
  if (run.history) summary.history = run.history.map((stage) => ({ ...stage, http: summariseHttpRuns(stage.http) }));
  for (const { key } of RAW_MODES) {
    const figures = run.raw[key];
    if (!figures?.length) continue;
    summary.raw[key] = {
      runs: figures.length,
      eventsPerSec: median(figures.map((f) => f.eventsPerSec)),
      eventsPerCommit: median(figures.map((f) => f.events / f.commits)),
      events: median(figures.map((f) => f.events)),
      otherCpuPercent: median(figures.map((f) => f.otherCpuPercent)),
    };
  }
  return summary;
}
