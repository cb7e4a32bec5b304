import { costOf, priceOf } from '../cost/model-prices.ts';
import { currentModelPrices } from '../cost/price-overrides.ts';
import type { UsageChange } from './usage-changes.ts';

/**
 * A token_usage row's values, in usageUpsertSql's order. Cost is the agent's own when it
 * reported one; else it is priced once, as the row is written, from the model's price;
 * else (a model without a price) unknown, and its tokens count as unpriced.
 */
export function usageRowValues(u: UsageChange): unknown[] {
  const price = u.costUsd === null ? priceOf(u.model, currentModelPrices()) : null;
  const cost = u.costUsd ?? (price ? costOf(u, price) : null);
  const source = u.costUsd !== null ? 'reported' : price ? 'priced' : 'unknown';
  return [
    u.sessionId,
    u.usageKey,
    u.origin,
    u.promptId,
    u.model,
    u.ts,
    u.inputTokens,
    u.outputTokens,
    u.cacheReadTokens,
    u.cacheCreationTokens,
    cost,
    source,
  ];
}

/** The sessions a pass's usage touched, whose totals it recomputes. */
export function usageSessions(usage: readonly UsageChange[]): string[] {
  return [...new Set(usage.map((u) => u.sessionId))];
}
