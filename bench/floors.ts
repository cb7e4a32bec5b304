// The throughput floors from the issue, as data: each names a storage, a measurement, a
// minimum event rate and, for single events, a ceiling on p99 latency.
import type { StorageKey } from './bench-storages.ts';
import type { MeasurementKey } from './measurements.ts';
import type { StorageSummary } from './summary.ts';

export interface Floor {
  storage: StorageKey;
  measurement: MeasurementKey;
  minEventsPerSec: number;
  maxP99Ms?: number;
  text: string;
}

export type FloorVerdict = 'PASS' | 'FAIL' | 'NOT RUN';

export interface FloorResult {
  floor: Floor;
  verdict: FloorVerdict;
  measured: string;
}

// "Durable default" is SQLite with synchronous=FULL, and PostgreSQL with
// synchronous_commit=on: the single-event floor applies to both.
export const FLOORS: Floor[] = [
  {
    storage: 'sqlite-full',
    measurement: 'single-50',
    minEventsPerSec: 10_000,
    maxP99Ms: 20,
    text: 'single events >= 10,000/s, p99 <= 20 ms at 50 connections',
  },
  {
    storage: 'postgres',
    measurement: 'single-50',
    minEventsPerSec: 10_000,
    maxP99Ms: 20,
    text: 'single events >= 10,000/s, p99 <= 20 ms at 50 connections',
  },
  { storage: 'sqlite-full', measurement: 'batch-100', minEventsPerSec: 40_000, text: 'batches of 100 >= 40,000 events/s' },
  { storage: 'postgres', measurement: 'batch-100', minEventsPerSec: 30_000, text: 'batches of 100 >= 30,000 events/s' },
  {
    storage: 'sqlite-normal',
    measurement: 'single-10',
    minEventsPerSec: 15_000,
    maxP99Ms: 10,
    text: 'single events >= 15,000/s, p99 <= 10 ms at 10 connections',
  },
  { storage: 'sqlite-normal', measurement: 'batch-100', minEventsPerSec: 60_000, text: 'batches of 100 >= 60,000 events/s' },
];

const rate = (n: number) => Math.round(n).toLocaleString('en-US');

export function evaluateFloors(summaries: readonly StorageSummary[]): FloorResult[] {
  return FLOORS.map((floor) => {
    const figures = summaries.find((s) => s.key === floor.storage)?.http[floor.measurement];
    if (!figures) return { floor, verdict: 'NOT RUN', measured: '-' };
    const fastEnough = figures.eventsPerSec >= floor.minEventsPerSec;
    const quickEnough = floor.maxP99Ms === undefined || figures.p99 <= floor.maxP99Ms;
    const measured =
      floor.maxP99Ms === undefined
        ? `${rate(figures.eventsPerSec)} events/s`
        : `${rate(figures.eventsPerSec)} events/s, p99 ${figures.p99.toFixed(1)} ms`;
    return { floor, verdict: fastEnough && quickEnough ? 'PASS' : 'FAIL', measured };
  });
}
