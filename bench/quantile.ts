// Nearest-rank quantile of an ascending list: with a few dozen samples an interpolated
// p95 would report a time no request actually took.

export const quantile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
