import type { SqlDialect } from '../../db/sql-dialect.ts';

/**
 * The token_usage rules, written once for both dialects (`?` placeholders):
 * - one row per request id; telemetry's figures replace a transcript's, never the other way;
 * - a row counts (`counted`) in its session's totals and in /analytics/cost unless a
 *   telemetry row of the same prompt shadows a transcript row (the same prompt reported
 *   both ways counts once) or, for a metric window, the session has per-request rows
 *   (they cover the same tokens).
 */
export function usageUpsertSql(d: SqlDialect): string {
  const counts = ['input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_creation_tokens', 'cost_usd', 'cost_source'];
  return `
INSERT INTO token_usage (session_id, usage_key, origin, prompt_id, model, ts, input_tokens, output_tokens, cache_read_tokens,
                         cache_creation_tokens, cost_usd, cost_source)
VALUES (?, ?, ?, ?, ?, ${d.timeParam()}, ?, ?, ?, ?, ?, ?)
ON CONFLICT (session_id, usage_key) DO UPDATE SET
  origin = excluded.origin,
  prompt_id = COALESCE(excluded.prompt_id, token_usage.prompt_id),
  model = COALESCE(excluded.model, token_usage.model),
  ts = excluded.ts,
${counts.map((c) => `  ${c} = excluded.${c}`).join(',\n')}
WHERE NOT (token_usage.origin = 'telemetry' AND excluded.origin = 'transcript')`;
}

/**
 * Marks which of a session's rows count: per-request rows when the session has any, else
 * its metric windows; of the per-request rows, a transcript's only while no telemetry row
 * of the same prompt exists.
 */
export function usageCountedSql(d: SqlDialect): string {
  return `
UPDATE token_usage SET counted = CASE
    WHEN origin = 'telemetry_metric' THEN CASE WHEN EXISTS (
        SELECT 1 FROM token_usage r WHERE r.session_id = token_usage.session_id AND r.origin <> 'telemetry_metric') THEN 0 ELSE 1 END
    WHEN origin = 'transcript' AND EXISTS (
        SELECT 1 FROM token_usage t
         WHERE t.session_id = token_usage.session_id AND t.origin = 'telemetry'
           AND NOT (${d.differs('t.prompt_id', 'token_usage.prompt_id')})) THEN 0
    ELSE 1 END
 WHERE session_id = ?`;
}

/** The session's totals over the rows that count. */
export const USAGE_TOTALS_SQL = `
SELECT COALESCE(sum(input_tokens), 0) AS input_tokens,
       COALESCE(sum(output_tokens), 0) AS output_tokens,
       COALESCE(sum(cache_read_tokens), 0) AS cache_read_tokens,
       COALESCE(sum(cache_creation_tokens), 0) AS cache_creation_tokens,
       COALESCE(sum(cost_usd), 0) AS cost_usd,
       COALESCE(sum(CASE WHEN cost_usd IS NULL
                         THEN input_tokens + output_tokens + cache_read_tokens + cache_creation_tokens ELSE 0 END), 0) AS unpriced_tokens
  FROM token_usage
 WHERE session_id = ? AND counted = 1`;

export const SESSION_USAGE_UPDATE_SQL = `
UPDATE sessions SET input_tokens = ?, output_tokens = ?, cache_read_tokens = ?, cache_creation_tokens = ?, cost_usd = ?,
                    unpriced_tokens = ?
 WHERE session_id = ?`;

export interface UsageTotals {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
  costUsd: number;
  unpricedTokens: number;
}

/** Totals from USAGE_TOTALS_SQL's one row; counts maybe bigint strings. */
export function sessionUsageTotals(row: Record<string, unknown> | undefined): UsageTotals {
  const n = (v: unknown) => Number(v ?? 0);
  return {
    inputTokens: n(row?.input_tokens),
    outputTokens: n(row?.output_tokens),
    cacheReadTokens: n(row?.cache_read_tokens),
    cacheCreationTokens: n(row?.cache_creation_tokens),
    costUsd: n(row?.cost_usd),
    unpricedTokens: n(row?.unpriced_tokens),
  };
}
