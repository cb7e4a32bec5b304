import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BIN_COUNT, BIN_UPPER, binLower, binMiddle, binOf, percentileOfBins } from './duration-bins.ts';

describe('duration bins', () => {
  it('cover every duration once, in order, edges strictly increasing', () => {
    expect(BIN_UPPER).toHaveLength(BIN_COUNT - 1);
    for (let i = 1; i < BIN_UPPER.length; i++) expect(BIN_UPPER[i]!).toBeGreaterThan(BIN_UPPER[i - 1]!);
    expect(BIN_UPPER[BIN_UPPER.length - 1]!).toBeGreaterThan(3 * 3_600_000);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (d) => {
        const b = binOf(d);
        expect(d).toBeGreaterThanOrEqual(binLower(b));
        if (b < BIN_COUNT - 1) expect(d).toBeLessThan(BIN_UPPER[b]!);
      }),
    );
  });

  it('report a percentile within 14% of the exact nearest-rank value below the open-ended last bin', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: BIN_UPPER[BIN_UPPER.length - 1]! - 1 }), { minLength: 1, maxLength: 200 }),
        fc.constantFrom(50, 90, 95, 99),
        (durations, p) => {
          const bins = new Array<number>(BIN_COUNT).fill(0);
          for (const d of durations) bins[binOf(d)]!++;
          const sorted = [...durations].sort((a, b) => a - b);
          const exact = sorted[Math.ceil((p / 100) * sorted.length) - 1]!;
          const reported = percentileOfBins(bins, p)!;
          expect(binOf(reported)).toBe(binOf(exact));
          expect(Math.abs(reported - exact) / exact).toBeLessThanOrEqual(0.14);
        },
      ),
    );
  });

  it('bound the error at every bin end, the worst cases the property can only sample', () => {
    for (let b = 1; b < BIN_COUNT - 1; b++) {
      const middle = binMiddle(b);
      for (const end of [binLower(b), BIN_UPPER[b]! - 1]) expect(Math.abs(middle - end) / end).toBeLessThanOrEqual(0.14);
    }
  });

  it('are exact where a bin holds one whole millisecond, and empty histograms have no percentile', () => {
    for (let d = 0; d < 9; d++) expect(binMiddle(binOf(d))).toBe(d);
    expect(percentileOfBins(new Array<number>(BIN_COUNT).fill(0), 50)).toBeNull();
  });
});
