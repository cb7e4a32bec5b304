// The analytics benchmark's checkpoints: event counts at which the load pauses so the
// store is measured as it stands (derivation catch-up, size on disk, every endpoint),
// giving figures at several volumes from one run. And the load's rate slice by slice,
// which says whether ingest slows down as history grows.
import { waitForDerivation } from './analytics-check.ts';
import { analyticsEndpoints, timeEndpoint, type EndpointTiming } from './analytics-queries.ts';
import { startCpuWindow, type CpuShare } from './cpu-share.ts';
import { databaseSize, mib, type DatabaseSize } from './database-size.ts';
import type { HookdServer } from './hookd-server.ts';
import { integerListSetting } from './settings.ts';

/** The first million: the volume the default run measures, and the base of the default checkpoints. */
const MILLION = 1_000_000;
/** The last slice's load rate must be at least this share of the first's. */
export const LOAD_RATE_FLOOR = 0.8;

/**
 * BENCH_CHECKPOINTS, ascending, always ending with `events` (the end of the load). By
 * default 1M, 10M, 100M... below `events`, so a 10M run also shows the 1M figures.
 * Earlier checkpoints must fall on a batch boundary: the load pauses exactly there.
 */
export function checkpointSetting(events: number, batchSize: number): number[] {
  const points = integerListSetting('BENCH_CHECKPOINTS') ?? defaultCheckpoints(events);
  for (const p of points) {
    if (p > events) throw new Error(`BENCH_CHECKPOINTS: ${p} is beyond BENCH_EVENTS (${events})`);
    if (p < events && p % batchSize !== 0) throw new Error(`BENCH_CHECKPOINTS: ${p} is not a multiple of the batch size (${batchSize})`);
  }
  return [...new Set([...points, events])].sort((a, b) => a - b);
}

export function defaultCheckpoints(events: number): number[] {
  const points: number[] = [];
  for (let p = MILLION; p < events; p *= 10) points.push(p);
  return [...points, events];
}

/** Short column label: 1M, 10M, 50k, or the count itself. */
export function checkpointLabel(n: number): string {
  if (n % MILLION === 0) return `${n / MILLION}M`;
  if (n % 1000 === 0) return `${n / 1000}k`;
  return n.toLocaleString('en-US');
}

/** Each million from 2M events on; below that a tenth of the run, so a smoke run has slices too. */
export function sliceSize(events: number, batchSize: number): number {
  if (events >= 2 * MILLION) return MILLION;
  return Math.max(batchSize, Math.round(events / 10 / batchSize) * batchSize);
}

export interface LoadSlice {
  /** Events acknowledged in the slice, and the load's seconds they took (pauses excluded). */
  events: number;
  seconds: number;
}

/** Feed it every acknowledgement (events so far, load seconds so far); `slices` at the end. */
export function sliceRecorder(size: number) {
  const boundaries: { events: number; seconds: number }[] = [{ events: 0, seconds: 0 }];
  return {
    progress(events: number, seconds: number): void {
      if (events >= boundaries.length * size) boundaries.push({ events, seconds });
    },
    slices(total: { events: number; seconds: number }): LoadSlice[] {
      const points = [...boundaries];
      // A remainder under half a slice joins the last whole one: its rate alone would be noise.
      if (points.length > 1 && total.events - points.at(-1)!.events < size / 2) points.pop();
      if (total.events > points.at(-1)!.events) points.push(total);
      return points.slice(1).map((p, i) => ({ events: p.events - points[i]!.events, seconds: p.seconds - points[i]!.seconds }));
    },
  };
}

/** The server's CPU during the load only: one window per stretch between pauses, weighted by its length. */
export function loadCpu(server: HookdServer) {
  const parts: { share: CpuShare; seconds: number }[] = [];
  let end: (() => Promise<CpuShare>) | null = null;
  let from = 0;
  return {
    async resume(): Promise<void> {
      end = await startCpuWindow(server);
      from = performance.now();
    },
    async pause(): Promise<void> {
      if (!end) return;
      const seconds = (performance.now() - from) / 1000;
      parts.push({ share: await end(), seconds });
      end = null;
    },
    total(): CpuShare {
      const seconds = parts.reduce((sum, p) => sum + p.seconds, 0);
      const mean = (pick: (c: CpuShare) => number) => parts.reduce((sum, p) => sum + pick(p.share) * p.seconds, 0) / seconds;
      return { server: mean((c) => c.server), driver: mean((c) => c.driver), other: mean((c) => c.other) };
    },
  };
}

/** Where the load stood at a checkpoint. */
export interface CheckpointPoint {
  /** The BENCH_CHECKPOINTS entry, and the events actually acknowledged there. */
  target: number;
  events: number;
  /** Sessions with at least one event loaded. */
  sessions: number;
  /** The busiest project and the largest session loaded by then: the worst cases a dashboard will ask for. */
  project: string;
  sessionId: string;
  sessionEvents: number;
}

export interface CheckpointResult extends CheckpointPoint {
  catchUpSeconds: number;
  size?: DatabaseSize;
  /** Why the size could not be read. */
  sizeError?: string;
  timings: EndpointTiming[];
  queryCpu: CpuShare;
}

export interface CheckpointInput extends CheckpointPoint {
  server: HookdServer;
  env: Record<string, string>;
  warmup: number;
  queries: number;
  log: (line: string) => void;
}

/** Measures the store as the load left it; the caller has stopped sending. */
export async function measureCheckpoint(c: CheckpointInput): Promise<CheckpointResult> {
  const label = checkpointLabel(c.target);
  const catchUpSeconds = await waitForDerivation(c.server.baseUrl);
  c.log(`${label}: derivation caught up ${catchUpSeconds.toFixed(1)} s after the last batch`);
  const result: CheckpointResult = {
    target: c.target,
    events: c.events,
    sessions: c.sessions,
    project: c.project,
    sessionId: c.sessionId,
    sessionEvents: c.sessionEvents,
    catchUpSeconds,
    timings: [],
    queryCpu: { server: NaN, driver: NaN, other: NaN },
  };
  try {
    result.size = await databaseSize(c.env);
    c.log(
      `${label}: ${mib(result.size.bytes)} on disk (${result.size.detail}), ${Math.round(result.size.bytes / c.events).toLocaleString('en-US')} bytes per event`,
    );
  } catch (error) {
    // A missing size must not cost the timings.
    result.sizeError = error instanceof Error ? error.message : String(error);
    c.log(`${label}: size not read: ${result.sizeError}`);
  }
  const endQueryCpu = await startCpuWindow(c.server);
  for (const endpoint of analyticsEndpoints(c.project, c.sessionId)) {
    const timing = await timeEndpoint(c.server.baseUrl, endpoint, c.warmup, c.queries);
    result.timings.push(timing);
    const r = timing.result;
    c.log(
      `${label}: GET ${endpoint.path}: ${r ? `p50 ${r.p50.toFixed(2)} ms, p95 ${r.p95.toFixed(2)} ms, rows ${r.rows}` : `not available (${timing.unavailable})`}`,
    );
  }
  result.queryCpu = await endQueryCpu();
  return result;
}
