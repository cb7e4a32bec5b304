import { expect, it } from 'vitest';
import { agoText, durationText, percentText, tokenText, untilText, utcText } from './time.ts';

it('says durations, ages and shares as people do', () => {
  expect([null, 840, 4200, 42_000, 185_000, 7_500_000, 200_000_000].map(durationText)).toEqual([
    '—',
    '840 ms',
    '4.2 s',
    '42 s',
    '3 min 5 s',
    '2 h 5 min',
    '2 d 7 h',
  ]);
  const now = Date.parse('2026-12-07T12:00:00Z');
  expect([10_000, 300_000, 7_200_000, 259_200_000].map((ago) => agoText(new Date(now - ago), now))).toEqual([
    '10 s ago',
    '5 min ago',
    '2 h ago',
    '3 d ago',
  ]);
  expect(
    [-5_000, 0, 10_000, 1_740_000, 4_800_000, 7_200_000, 26_000_000, 259_200_000].map((left) => untilText(new Date(now + left), now)),
  ).toEqual(['any moment now', 'any moment now', 'in 10 s', 'in 29 min', 'in 1 h 20 min', 'in 2 h', 'in 7 h', 'in 3 d']);
  expect([null, 0, 0.0333, 0.375, 1].map(percentText)).toEqual(['—', '0%', '3.3%', '38%', '100%']);
  expect(utcText(new Date('2026-12-07T12:34:56.789Z'))).toBe('2026-12-07 12:34:56 UTC');
});

it('says token counts short', () => {
  expect([null, 812, 1000, 18_342, 99_960, 183_400, 999_499, 999_500, 1_234_567, 45_600_000].map(tokenText)).toEqual([
    '—',
    '812',
    '1k',
    '18.3k',
    '100k',
    '183k',
    '999k',
    '1M',
    '1.2M',
    '45.6M',
  ]);
});
