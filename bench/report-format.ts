// The cell formats and the plain-text table the ingest benchmark's reports share.
import type { MeasurementKey } from './measurements.ts';
import type { HttpSummary, StorageSummary } from './summary.ts';

export const rate = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '-' : Math.round(n).toLocaleString('en-US'));
export const ms = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '-' : n < 10 ? n.toFixed(2) : n.toFixed(1));
export const pct = (n: number) => (Number.isFinite(n) ? `${Math.round(n)}%` : '-');
export const dec = (n: number) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString('en-US')) : '-');

/** hookd's figure over the baseline's on the same measurement, e.g. "1.28×". */
export function ratio(figures: HttpSummary | undefined, baseline: StorageSummary | undefined, key: MeasurementKey): string {
  const base = baseline?.http[key];
  return figures && base ? `${(figures.eventsPerSec / base.eventsPerSec).toFixed(2)}×` : '-';
}

/** "3/3" runs derived, or "-" for a server that derives nothing. */
export const derivedOf = (s: HttpSummary | undefined) => (s && s.derivedRuns !== null ? `${s.derivedRuns}/${s.runs}` : '-');

/** Columns padded to their widest cell; the first `alignLeft` ones left-aligned, the rest right-aligned. */
export function table(header: string[], rows: string[][], alignLeft = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < alignLeft ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
