// The HTTP measurements, in the order they run within each round.
import type { StorageKey } from './bench-storages.ts';

export type MeasurementKey = 'single-10' | 'single-50' | 'batch-50' | 'batch-100' | 'batch-1000' | 'sustained-100' | 'steady-2000';

export interface Measurement {
  key: MeasurementKey;
  label: string;
  eventsPerRequest: number;
  connections: number;
  /** Distinct bodies cycled through; fewer for big batches, which are costly to hold. */
  variants: number;
  /**
   * A steady offered load in requests/s (autocannon's overallRate) instead of as fast as
   * the connections go: what the acknowledgements cost at a given rate, not the ceiling.
   * Such measurements run only when BENCH_MEASUREMENTS names them.
   */
  requestsPerSecond?: number;
  /**
   * Seconds per run whatever BENCH_DURATION says: a derivation that falls behind only shows
   * once its backlog has had time to grow past what a short run leaves.
   */
  fixedDurationS?: number;
  /** By default only these storages run it; named in BENCH_MEASUREMENTS, every storage does. */
  defaultStorages?: readonly StorageKey[];
}

export const MEASUREMENTS: Measurement[] = [
  { key: 'single-10', label: 'single events, 10 connections', eventsPerRequest: 1, connections: 10, variants: 64 },
  { key: 'single-50', label: 'single events, 50 connections', eventsPerRequest: 1, connections: 50, variants: 64 },
  { key: 'batch-50', label: 'batches of 50, 10 connections', eventsPerRequest: 50, connections: 10, variants: 8 },
  { key: 'batch-100', label: 'batches of 100, 10 connections', eventsPerRequest: 100, connections: 10, variants: 8 },
  { key: 'batch-1000', label: 'batches of 1000, 10 connections', eventsPerRequest: 1000, connections: 10, variants: 4 },
  {
    key: 'sustained-100',
    label: 'batches of 100, 10 connections, sustained 20 s',
    eventsPerRequest: 100,
    connections: 10,
    variants: 8,
    fixedDurationS: 20,
    defaultStorages: ['sqlite-full', 'postgres'],
  },
  {
    key: 'steady-2000',
    label: 'single events at 2,000/s, 20 connections',
    eventsPerRequest: 1,
    connections: 20,
    variants: 64,
    requestsPerSecond: 2000,
  },
];

/** What the baselines measure: hookd's figures of these can be read as a ratio to theirs. */
export const BASELINE_MEASUREMENTS: readonly MeasurementKey[] = ['single-10', 'single-50', 'batch-50', 'batch-100', 'batch-1000'];

export const measurementLabel = (key: MeasurementKey) => MEASUREMENTS.find((m) => m.key === key)!.label;
