import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY, HOUR, hourRange, spanRanges } from './analytics-queries.ts';

describe('span ranges', () => {
  it('cover every hour of the widened range exactly once, with day rows for whole days only', () => {
    const time = fc.integer({ min: 0, max: 40 * DAY });
    fc.assert(
      fc.property(fc.option(time, { nil: undefined }), fc.option(time, { nil: undefined }), (a, b) => {
        const [from, to] = a !== undefined && b !== undefined && b < a ? [b, a] : [a, b];
        const ranges = spanRanges({ from, to });
        const wide = hourRange({ from, to });
        // Hours counted, over a window past both ends; open ends stand for "to the window's edge".
        const lo = -2 * DAY;
        const hi = 43 * DAY;
        const counted = new Map<number, number>();
        for (const r of ranges) {
          const width = r.span === 'day' ? DAY : HOUR;
          if (r.from !== undefined) expect(r.from % width).toBe(0);
          if (r.to !== undefined) expect(r.to % width).toBe(0);
          for (let h = r.from ?? lo; h < (r.to ?? hi); h += HOUR) counted.set(h, (counted.get(h) ?? 0) + 1);
        }
        for (let h = wide.from ?? lo; h < (wide.to ?? hi); h += HOUR) expect(counted.get(h)).toBe(1);
        expect([...counted.values()].reduce((n, k) => n + k, 0)).toBe(((wide.to ?? hi) - (wide.from ?? lo)) / HOUR);
      }),
    );
    expect(spanRanges({})).toEqual([{ span: 'day', from: undefined, to: undefined }]);
  });
});
