/**
 * Tool durations are kept in the rollups as counts per bin, so percentiles over any range
 * are sums, never a scan of tool_uses. Bin edges grow by about x1.3 (1 ms wide up to 10 ms,
 * where rounding would merge bins), from under 1 ms to over 3 hours in 64 bins; the last is
 * open-ended. A percentile is reported as the point of its bin that is equally far, relatively,
 * from both ends (2·lo·hi/(lo+hi)), so it is within (hi-lo)/(hi+lo) of the exact nearest-rank
 * value: 13.7% at worst with these rounded edges (the geometric middle would be 14.02%), and
 * exact below 9 ms.
 *
 * The same edges are the table duration_bins (migration 0006), which the SQL views join:
 * a test checks the two agree.
 */
export const BIN_COUNT = 64;
const RATIO = 1.3;

/** UPPER[i]: the first duration (ms, exclusive) past bin i; bin 0 holds 0 ms. */
export const BIN_UPPER: readonly number[] = (() => {
  const upper = [1];
  for (let i = 1; i < BIN_COUNT - 1; i++) upper.push(Math.max(upper[i - 1]! + 1, Math.round(RATIO ** i)));
  return upper;
})();

export function binOf(durationMs: number): number {
  // Binary search: the first bin whose upper edge is past the duration.
  let lo = 0;
  let hi = BIN_COUNT - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (durationMs < BIN_UPPER[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function binLower(bin: number): number {
  return bin === 0 ? 0 : BIN_UPPER[bin - 1]!;
}

/**
 * What a percentile falling in `bin` reports: of its whole milliseconds lower..last, the value
 * whose relative error is the same whether the exact value was lower or last.
 */
export function binMiddle(bin: number): number {
  const lower = binLower(bin);
  if (bin === 0 || bin === BIN_COUNT - 1) return lower;
  const last = BIN_UPPER[bin]! - 1;
  return Math.round((2 * lower * last) / (lower + last));
}

/**
 * Nearest-rank percentile (the smallest value with at least p% of the values at or below
 * it) of a histogram; null when it is empty.
 */
export function percentileOfBins(bins: readonly number[], p: number): number | null {
  let total = 0;
  for (const n of bins) total += n;
  if (total === 0) return null;
  let running = 0;
  for (let i = 0; i < bins.length; i++) {
    running += bins[i]!;
    if (running * 100 >= p * total) return binMiddle(i);
  }
  return binMiddle(bins.length - 1);
}

/** The bin columns of the rollup tables, b00 .. b63. */
export const BIN_COLUMNS: readonly string[] = Array.from({ length: BIN_COUNT }, (_, i) => `b${String(i).padStart(2, '0')}`);
