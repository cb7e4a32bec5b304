// The floors, as data. Single-event rates on SQLite, which the whole machine sets (HTTP, JSON,
// a commit per request), are ratios to the baseline measured in the same run, so a slower or
// busier machine moves both alike; batch rates and PostgreSQL's, where the storage is the
// limit, stay absolute. Every floor wants the figure *derived*: an acknowledgement rate the
// derivation cannot follow only defers the work (derivedAtEnd in server-window.ts), so such a
// run fails its floor.
import type { StorageKey } from './bench-storages.ts';
import { type MeasurementKey, measurementLabel } from './measurements.ts';
import type { HttpSummary, StorageSummary } from './summary.ts';

export interface Floor {
  storage: StorageKey;
  measurement: MeasurementKey;
  /** Events/s at least this many times the baseline's on the same measurement, same run. */
  minBaselineRatio?: number;
  minEventsPerSec?: number;
  maxP99Ms?: number;
}

export type FloorVerdict = 'PASS' | 'FAIL' | 'NOT RUN';

export interface FloorResult {
  floor: Floor;
  text: string;
  verdict: FloorVerdict;
  /** e.g. "7,067/s = 1.28× baseline 5,536/s, p99 12.3 ms" */
  measured: string;
  /** e.g. "yes (3/3)", "no (2/3)" */
  derived: string;
  /** The backlog each run that did not count left behind. */
  notes: string[];
  eventsPerSec?: number;
  baselineEventsPerSec?: number;
  ratio?: number;
}

// "Durable default" is SQLite with synchronous=FULL and PostgreSQL with synchronous_commit=on.
export const FLOORS: Floor[] = [
  { storage: 'sqlite-full', measurement: 'single-50', minBaselineRatio: 1.5, maxP99Ms: 25 },
  { storage: 'sqlite-full', measurement: 'single-10', minBaselineRatio: 0.9 },
  { storage: 'sqlite-normal', measurement: 'single-10', minBaselineRatio: 1.75 },
  { storage: 'sqlite-normal', measurement: 'single-50', minBaselineRatio: 1.75 },
  { storage: 'sqlite-full', measurement: 'batch-100', minEventsPerSec: 40_000 },
  { storage: 'sqlite-full', measurement: 'sustained-100', minEventsPerSec: 40_000 },
  { storage: 'postgres', measurement: 'sustained-100', minEventsPerSec: 20_000 },
  { storage: 'postgres', measurement: 'single-50', minEventsPerSec: 6_000 },
];

const rate = (n: number) => Math.round(n).toLocaleString('en-US');

export function floorText(floor: Floor): string {
  const parts: string[] = [];
  if (floor.minBaselineRatio !== undefined) parts.push(`>= ${floor.minBaselineRatio}× baseline`);
  if (floor.minEventsPerSec !== undefined) parts.push(`>= ${rate(floor.minEventsPerSec)} events/s`);
  if (floor.maxP99Ms !== undefined) parts.push(`p99 <= ${floor.maxP99Ms} ms`);
  return `${measurementLabel(floor.measurement)}: ${[...parts, 'derived'].join(', ')}`;
}

/** "7,067/s = 1.28× baseline 5,536/s", or the bare rate when the baseline did not measure it. */
export function rateBesideBaseline(figures: HttpSummary, baseline: HttpSummary | undefined): string {
  if (!baseline) return `${rate(figures.eventsPerSec)}/s`;
  return `${rate(figures.eventsPerSec)}/s = ${(figures.eventsPerSec / baseline.eventsPerSec).toFixed(2)}× baseline ${rate(baseline.eventsPerSec)}/s`;
}

function derivedNotes(floor: Floor, figures: HttpSummary): string[] {
  const where = `${floor.storage} ${floor.measurement}`;
  if (figures.derivedRuns === null) return [`${where}: the server reported no derivation backlog`];
  return figures.notDerived.map(
    (run) =>
      `${where} run ${run.round}: ${rate(run.backlogEvents)} events not derived at the end (1 s of the run is ${rate(run.eventsPerSec)}), ` +
      `oldest waiting ${run.lagSeconds.toFixed(1)} s`,
  );
}

export function evaluateFloors(summaries: readonly StorageSummary[]): FloorResult[] {
  const baseline = summaries.find((s) => s.key === 'baseline' && !s.failed);
  return FLOORS.map((floor) => {
    const text = floorText(floor);
    const figures = summaries.find((s) => s.key === floor.storage)?.http[floor.measurement];
    if (!figures) return { floor, text, verdict: 'NOT RUN', measured: '-', derived: '-', notes: [] };
    const base = baseline?.http[floor.measurement];
    const p99 = floor.maxP99Ms === undefined ? '' : `, p99 ${figures.p99.toFixed(1)} ms`;
    const result: FloorResult = {
      floor,
      text,
      verdict: 'PASS',
      measured: rateBesideBaseline(figures, base) + p99,
      derived: `${figures.derivedRuns === figures.runs ? 'yes' : 'no'} (${figures.derivedRuns ?? 0}/${figures.runs})`,
      notes: derivedNotes(floor, figures),
      eventsPerSec: figures.eventsPerSec,
      ...(base ? { baselineEventsPerSec: base.eventsPerSec, ratio: figures.eventsPerSec / base.eventsPerSec } : {}),
    };
    if (floor.minBaselineRatio !== undefined && !base) {
      return { ...result, verdict: 'NOT RUN', measured: `${result.measured} (no baseline measured)` };
    }
    const needed = Math.max(floor.minEventsPerSec ?? 0, base ? (floor.minBaselineRatio ?? 0) * base.eventsPerSec : 0);
    const fastEnough = figures.eventsPerSec >= needed;
    const quickEnough = floor.maxP99Ms === undefined || figures.p99 <= floor.maxP99Ms;
    const derived = figures.derivedRuns === figures.runs;
    return { ...result, verdict: fastEnough && quickEnough && derived ? 'PASS' : 'FAIL' };
  });
}
