import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scoreDistributions } from './analytics.ts';

describe('score distributions', () => {
  it('equal the nearest-rank percentiles of the sorted scores, per source', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ source: fc.constantFrom('a', 'b', 'c'), score: fc.integer({ min: 0, max: 100 }) }), {
          minLength: 1,
          maxLength: 300,
        }),
        (sessions) => {
          const counts = new Map<string, number>();
          for (const s of sessions) counts.set(`${s.source} ${s.score}`, (counts.get(`${s.source} ${s.score}`) ?? 0) + 1);
          const rows = [...counts].map(([k, n]) => ({ source: k.split(' ')[0]!, score: Number(k.split(' ')[1]), sessions: n })).reverse();
          const got = scoreDistributions(rows);
          const sources = [...new Set(sessions.map((s) => s.source))].sort();
          expect(got.map((g) => g.source)).toEqual(sources);
          for (const g of got) {
            const sorted = sessions
              .filter((s) => s.source === g.source)
              .map((s) => s.score)
              .sort((x, y) => x - y);
            const rank = (p: number) => sorted[Math.ceil((p / 100) * sorted.length) - 1];
            expect(g).toEqual({ source: g.source, samples: sorted.length, p50: rank(50), p90: rank(90), p95: rank(95), p99: rank(99) });
          }
        },
      ),
    );
  });
});
