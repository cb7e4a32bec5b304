import type { SqlDialect } from '../../db/sql-dialect.ts';

/**
 * The token_usage rules, written once for both dialects (`?` placeholders):
 * - one row per request id; telemetry's figures replace a transcript's, never the other way;
 * - a session's totals count a prompt's transcript rows only while no telemetry row of the
 *   same prompt exists (so the same prompt reported both ways counts once), and the metric
 *   windows only when the session has no per-request rows at all (they cover the same tokens).
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

/** Per class (0: per request, 1: metric windows), the session's countable totals. */
export function usageTotalsSql(d: SqlDialect): string {
  const metric = `CASE WHEN u.origin = 'telemetry_metric' THEN 1 ELSE 0 END`;
  const all = 'u.input_tokens + u.output_tokens + u.cache_read_tokens + u.cache_creation_tokens';
  return `
SELECT ${metric} AS metric,
       COALESCE(sum(u.input_tokens), 0) AS input_tokens,
       COALESCE(sum(u.output_tokens), 0) AS output_tokens,
       COALESCE(sum(u.cache_read_tokens), 0) AS cache_read_tokens,
       COALESCE(sum(u.cache_creation_tokens), 0) AS cache_creation_tokens,
       COALESCE(sum(u.cost_usd), 0) AS cost_usd,
       COALESCE(sum(CASE WHEN u.cost_usd IS NULL THEN ${all} ELSE 0 END), 0) AS unpriced_tokens
  FROM token_usage u
 WHERE u.session_id = ?
   AND NOT (u.origin = 'transcript' AND EXISTS (
         SELECT 1 FROM token_usage t
          WHERE t.session_id = u.session_id AND t.origin = 'telemetry' AND NOT (${d.differs('t.prompt_id', 'u.prompt_id')})))
 GROUP BY ${metric}`;
}

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

/** The per-request totals when there are any, else the metric windows'; counts maybe bigint strings. */
export function sessionUsageTotals(rows: readonly Record<string, unknown>[]): UsageTotals {
  const row = rows.find((r) => Number(r.metric) === 0) ?? rows.find((r) => Number(r.metric) === 1);
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
