import { num, type SqlRow, type SqlRunner } from '../../db/sql-runner.ts';
import type { CostFigures, CostFilter, CostGroup, CostGrouping, ModelUsage } from './cost-figures.ts';
import { costGroupsQuery, costTotalsQuery, usageByModelQuery } from './cost-queries.ts';

/** Reads of the counted token_usage rows; one implementation over the shared queries. */
export interface CostStore {
  groups(filter: CostFilter, groupBy: CostGrouping, limit: number): Promise<CostGroup[]>;
  totals(filter: CostFilter): Promise<CostFigures>;
  byModel(): Promise<ModelUsage[]>;
}

function figuresOf(r: SqlRow | undefined): CostFigures {
  const n = (v: unknown) => num(v ?? 0);
  return {
    input_tokens: n(r?.input_tokens),
    output_tokens: n(r?.output_tokens),
    cache_read_tokens: n(r?.cache_read_tokens),
    cache_creation_tokens: n(r?.cache_creation_tokens),
    cost_usd: dollars(n(r?.cost_usd)),
    unpriced_tokens: n(r?.unpriced_tokens),
    requests: n(r?.requests),
    sessions: n(r?.sessions),
  };
}

/**
 * To millionths of a dollar: the two databases add floating-point costs in their own
 * order, and the last bits of a sum would otherwise differ between them.
 */
export const dollars = (usd: number): number => Math.round(usd * 1e6) / 1e6;

export function createCostStore(runner: SqlRunner): CostStore {
  const d = runner.dialect;
  return {
    async groups(filter, groupBy, limit) {
      return (await runner.all(costGroupsQuery(d, filter, groupBy, limit))).map((r) => ({
        key:
          r.key === null || r.key === undefined
            ? null
            : groupBy === 'day'
              ? new Date(num(r.key)).toISOString().slice(0, 10)
              : String(r.key),
        ...figuresOf(r),
      }));
    },
    async totals(filter) {
      const [row] = await runner.all(costTotalsQuery(d, filter));
      return figuresOf(row);
    },
    async byModel() {
      return (await runner.all(usageByModelQuery())).map((r) => ({
        model: (r.model as string | null) ?? null,
        inputTokens: num(r.input_tokens),
        outputTokens: num(r.output_tokens),
        cacheReadTokens: num(r.cache_read_tokens),
        cacheCreationTokens: num(r.cache_creation_tokens),
        costUsd: dollars(num(r.cost_usd)),
      }));
    },
  };
}
