// The cost page's filters, as kept in its URL, and the GET /analytics/cost requests they
// make. `agent` is the sessions' source, as on the sessions page; the period goes as
// `since`, so a shared link stays relative to when it is opened.
import { query } from './api.ts';
import type { CostReport } from './api-types.ts';

export const COST_FILTERS = ['range', 'agent', 'project', 'by'] as const;
export type CostFilters = Record<(typeof COST_FILTERS)[number], string>;

/** The periods offered, each with its length in words. */
export const COST_PERIODS = { '24h': '24 hours', '7d': '7 days', '30d': '30 days' } as const;
export type CostPeriod = keyof typeof COST_PERIODS;
export const DEFAULT_PERIOD: CostPeriod = '7d';
const PERIOD_MS: Record<CostPeriod, number> = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 };

/** The groupings the page's table switches between, each with its column's name. */
export const COST_GROUPINGS = { model: 'Model', project: 'Project', team: 'Team', source: 'Agent' } as const;
export type CostGrouping = keyof typeof COST_GROUPINGS;
export const DEFAULT_GROUPING: CostGrouping = 'model';

const DAY_MS = 86_400_000;

export function costPeriod(filters: Pick<CostFilters, 'range'>): CostPeriod {
  return filters.range in PERIOD_MS ? (filters.range as CostPeriod) : DEFAULT_PERIOD;
}

export function costGrouping(filters: Pick<CostFilters, 'by'>): CostGrouping {
  return filters.by in COST_GROUPINGS ? (filters.by as CostGrouping) : DEFAULT_GROUPING;
}

/** The cost request for the URL's filters, grouped by `groupBy` (`day`: the chart's). */
export function costPath(filters: CostFilters, groupBy: CostGrouping | 'day'): string {
  return `/analytics/cost${query({
    group_by: groupBy,
    since: costPeriod(filters),
    source: filters.agent || undefined,
    project: filters.project || undefined,
  })}`;
}

/** The overview's cost today: the last 24 hours, as the cost page's shortest period. */
export const COST_TODAY_PATH = costPath({ range: '24h', agent: '', project: '', by: '' }, 'day');

export interface CostDay {
  /** The UTC date. */
  day: string;
  /** Seconds since the epoch of its start, for the chart. */
  at: number;
  cost_usd: number;
  tokens: number;
  requests: number;
  sessions: number;
}

/**
 * Every UTC day of the period, oldest first, with the report's figures and zero on days
 * without usage (the report lists only days with some), so the chart's line drops to
 * nothing there instead of joining the days on either side.
 */
export function costDays(items: CostReport['items'], period: CostPeriod, now = Date.now()): CostDay[] {
  const byDay = new Map(items.filter((i) => i.key !== null).map((i) => [i.key!, i]));
  const days = new Set(byDay.keys());
  for (let at = Math.floor((now - PERIOD_MS[period]) / DAY_MS) * DAY_MS; at <= now; at += DAY_MS) {
    days.add(new Date(at).toISOString().slice(0, 10));
  }
  return [...days].sort().map((day) => {
    const item = byDay.get(day);
    return {
      day,
      at: Date.parse(`${day}T00:00:00Z`) / 1000,
      cost_usd: item?.cost_usd ?? 0,
      tokens: item ? tokensOf(item) : 0,
      requests: item?.requests ?? 0,
      sessions: item?.sessions ?? 0,
    };
  });
}

/** Every kind of token together: input, output, cache read and cache creation. */
export function tokensOf(f: { input_tokens: number; output_tokens: number; cache_read_tokens: number; cache_creation_tokens: number }) {
  return f.input_tokens + f.output_tokens + f.cache_read_tokens + f.cache_creation_tokens;
}
