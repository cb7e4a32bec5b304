import { expect, it } from 'vitest';
import type { CostGroup } from './api-types.ts';
import { COST_TODAY_PATH, costDays, costGrouping, costPath, costPeriod, tokensOf } from './cost-query.ts';

const none = { range: '', agent: '', project: '', by: '' };
const params = (path: string) => {
  const url = new URL(path, 'http://x');
  return { path: url.pathname, ...Object.fromEntries(url.searchParams) };
};

it('asks for the period as `since` and the set filters only', () => {
  expect(params(costPath(none, 'day'))).toEqual({ path: '/analytics/cost', group_by: 'day', since: '7d' });
  expect(params(costPath({ range: '30d', agent: 'codex', project: 'a b', by: 'team' }, 'team'))).toEqual({
    path: '/analytics/cost',
    group_by: 'team',
    since: '30d',
    source: 'codex',
    project: 'a b',
  });
  expect(params(COST_TODAY_PATH)).toEqual({ path: '/analytics/cost', group_by: 'day', since: '24h' });
});

it('falls back to 7 days by model for what a link gets wrong', () => {
  expect([costPeriod({ range: '' }), costPeriod({ range: '24h' }), costPeriod({ range: 'forever' })]).toEqual(['7d', '24h', '7d']);
  expect([costGrouping({ by: '' }), costGrouping({ by: 'source' }), costGrouping({ by: 'session' })]).toEqual(['model', 'source', 'model']);
});

const group = (key: string | null, cost_usd: number, tokens = 0): CostGroup => ({
  key,
  input_tokens: tokens,
  output_tokens: 1,
  cache_read_tokens: 2,
  cache_creation_tokens: 3,
  cost_usd,
  unpriced_tokens: 0,
  requests: 1,
  sessions: 1,
});

it('lists every UTC day of the period, with nothing on the days without usage', () => {
  const now = Date.parse('2026-12-08T10:00:00Z');
  const days = costDays([group('2026-12-03', 1.5, 10), group('2026-12-08', 0.25)], '7d', now);
  expect(days.map((d) => d.day)).toEqual([
    '2026-12-01',
    '2026-12-02',
    '2026-12-03',
    '2026-12-04',
    '2026-12-05',
    '2026-12-06',
    '2026-12-07',
    '2026-12-08',
  ]);
  expect(days.map((d) => d.cost_usd)).toEqual([0, 0, 1.5, 0, 0, 0, 0, 0.25]);
  expect(days[2]).toEqual({
    day: '2026-12-03',
    at: Date.parse('2026-12-03T00:00:00Z') / 1000,
    cost_usd: 1.5,
    tokens: 16,
    requests: 1,
    sessions: 1,
  });
  expect(days[0]).toMatchObject({ tokens: 0, requests: 0, sessions: 0 });
  // 24 hours reach into yesterday; a day the server counted that the browser's clock has not reached is kept.
  expect(costDays([], '24h', now).map((d) => d.day)).toEqual(['2026-12-07', '2026-12-08']);
  expect(costDays([group('2026-12-09', 1)], '24h', now).map((d) => d.day)).toEqual(['2026-12-07', '2026-12-08', '2026-12-09']);
  expect(costDays([], '30d', now)).toHaveLength(31);
});

it('adds up every kind of token', () => {
  expect(tokensOf({ input_tokens: 1000, output_tokens: 200, cache_read_tokens: 5000, cache_creation_tokens: 300 })).toBe(6500);
});
