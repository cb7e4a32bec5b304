import type { ReadScope } from '../../core/read-scope.ts';
import { analyticsFilterOf } from '../analytics/analytics-service.ts';
import { PRICES_AS_OF } from '../cost/model-prices.ts';
import type { SessionDeriver } from '../derivation/session-deriver.ts';
import { EMPTY_FIGURES, type CostFigures, type CostFilter, type CostGroup, type CostGrouping } from './cost-figures.ts';
import type { CostStore } from './cost-store.ts';

/** The filters of `/analytics/cost`: those of every analytics route, and a model. */
export interface CostQuery {
  from?: string;
  to?: string;
  /** A duration back from now: 90m, 24h, 7d, 4w. */
  since?: string;
  source?: string;
  project?: string;
  team?: string;
  model?: string;
  group_by?: CostGrouping;
  /** Groups at most, for every grouping but `day` (each day in range is listed). */
  limit?: number;
}

export interface CostReport {
  group_by: CostGrouping;
  items: CostGroup[];
  /** More groups matched than `limit`: `totals` still covers them all. */
  truncated: boolean;
  totals: CostFigures;
  /** The date of the price table that prices the tokens an agent reported no cost for. */
  prices_as_of: string;
}

export const DEFAULT_COST_LIMIT = 100;

/** What the sessions' model requests cost, from the counted token_usage rows. */
export class CostService {
  private readonly store: CostStore;
  private readonly deriver: Pick<SessionDeriver, 'catchUp'>;
  private readonly now: () => number;

  constructor(store: CostStore, deriver: Pick<SessionDeriver, 'catchUp'>, now: () => number = Date.now) {
    this.store = store;
    this.deriver = deriver;
    this.now = now;
  }

  async cost(query: CostQuery, scope: ReadScope): Promise<CostReport> {
    const groupBy = query.group_by ?? 'day';
    const limit = query.limit ?? DEFAULT_COST_LIMIT;
    const filter = this.filter(query, scope);
    const report = { group_by: groupBy, prices_as_of: PRICES_AS_OF };
    if (!filter) return { ...report, items: [], truncated: false, totals: { ...EMPTY_FIGURES } };
    await this.deriver.catchUp();
    // One group more than asked says whether there were more.
    const [groups, totals] = await Promise.all([this.store.groups(filter, groupBy, limit + 1), this.store.totals(filter)]);
    const truncated = groupBy !== 'day' && groups.length > limit;
    return { ...report, items: truncated ? groups.slice(0, limit) : groups, truncated, totals };
  }

  /**
   * The filter a query and the caller's binding ask for, the binding applied in the store
   * query; null when they cannot both hold (a team token asking for another team).
   */
  private filter(query: CostQuery, scope: ReadScope): CostFilter | null {
    const base = analyticsFilterOf(query, scope, this.now());
    if (base === null) return null;
    const filter: CostFilter = { ...base };
    if (query.model !== undefined) filter.model = query.model;
    if (scope.sessionId) filter.sessionId = scope.sessionId;
    return filter;
  }
}
