/** What every analytics reader filters by; times in epoch ms, `to` exclusive. */
export interface AnalyticsFilter {
  from?: number;
  to?: number;
  source?: string;
  project?: string;
  teamId?: string;
}

/** One row of session_intelligence_summary, as the API returns it. */
export interface SessionSummary {
  session_id: string;
  source: string;
  project: string | null;
  team_id: string | null;
  user: string | null;
  host: string | null;
  model: string | null;
  session_start: string;
  session_end: string | null;
  end_reason: string | null;
  last_activity_at: string;
  duration_ms: number;
  total_events: number;
  prompts: number;
  tool_calls: number;
  successful_tools: number;
  failed_tools: number;
  success_rate_pct: number | null;
  subagents_used: number;
  explore_calls: number;
  edit_calls: number;
  test_runs: number;
  delegate_calls: number;
  research_calls: number;
  workflow_pattern: string;
  success_score: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_creation_tokens: number;
  cost_usd: number;
  unpriced_tokens: number;
}

/** Summed rollup rows of one tool (or subagent type, or hour): counts and the duration histogram. */
export interface RollupTotals {
  key: string;
  succeeded: number;
  failed: number;
  timed: number;
  durationSumMs: number;
  bins: number[];
}

export interface ToolBreakdown {
  tool_name: string;
  uses: number;
  successful_uses: number;
  failed_uses: number;
  avg_duration_ms: number | null;
}

export interface ScoreDistribution {
  source: string;
  samples: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
}

/**
 * Round half up of a / b to one decimal, in integers: the same arithmetic the SQL views
 * use, so the API and the views agree to the digit on both dialects.
 */
export function pct1(a: number, b: number): number | null {
  return b > 0 ? Math.floor((2000 * a + b) / (2 * b)) / 10 : null;
}

/** Round half up of sum / n, as the views compute means. */
export function roundedMean(sum: number, n: number): number | null {
  return n > 0 ? Math.floor((2 * sum + n) / (2 * n)) : null;
}

/**
 * p50/p90/p95/p99 per source by nearest rank (the smallest score with at least p% of the
 * sessions at or below it), from session counts per (source, score); sources in order.
 */
export function scoreDistributions(counts: readonly { source: string; score: number; sessions: number }[]): ScoreDistribution[] {
  const bySource = new Map<string, Map<number, number>>();
  for (const c of counts) {
    const scores = bySource.get(c.source) ?? new Map<number, number>();
    scores.set(c.score, (scores.get(c.score) ?? 0) + c.sessions);
    bySource.set(c.source, scores);
  }
  return [...bySource.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((source) => {
      const scores = [...bySource.get(source)!.entries()].sort(([a], [b]) => a - b);
      const samples = scores.reduce((n, [, k]) => n + k, 0);
      const rank = (p: number) => {
        let running = 0;
        for (const [score, k] of scores) {
          running += k;
          if (running * 100 >= p * samples) return score;
        }
        return scores[scores.length - 1]![0];
      };
      return { source, samples, p50: rank(50), p90: rank(90), p95: rank(95), p99: rank(99) };
    });
}
