import { Type } from 'typebox';

const Str = Type.Union([Type.String(), Type.Null()]);
const Int = Type.Integer();
const IntOrNull = Type.Union([Type.Integer(), Type.Null()]);
const Pct = Type.Union([Type.Number({ description: 'percent, one decimal' }), Type.Null()]);
const ApproxMs = (what: string) =>
  Type.Union([Type.Integer({ description: `${what}, from the duration bins: within 14% of the exact value` }), Type.Null()]);

const filters = {
  from: Type.Optional(Type.String({ description: 'ISO-8601 or epoch ms, inclusive' })),
  to: Type.Optional(Type.String({ description: 'ISO-8601 or epoch ms, exclusive' })),
  since: Type.Optional(
    Type.String({ pattern: '^\\d{1,6}[mhdw]$', description: 'instead of `from`: this long back from now, e.g. 90m, 24h, 7d, 4w' }),
  ),
  source: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  project: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  team: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
};

export const AnalyticsQuerySchema = Type.Object(filters);

export const SessionSummaryQuery = Type.Object({
  ...filters,
  pattern: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'only sessions of this workflow pattern' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 400 })),
});

export const SessionSummaryOut = Type.Object({
  session_id: Type.String(),
  source: Type.String(),
  project: Str,
  team_id: Str,
  user: Str,
  host: Str,
  model: Str,
  session_start: Type.String({ format: 'date-time' }),
  session_end: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  end_reason: Str,
  last_activity_at: Type.String({ format: 'date-time' }),
  duration_ms: Int,
  total_events: Int,
  prompts: Int,
  tool_calls: Int,
  successful_tools: Int,
  failed_tools: Int,
  success_rate_pct: Pct,
  subagents_used: Int,
  explore_calls: Int,
  edit_calls: Int,
  test_runs: Int,
  delegate_calls: Int,
  research_calls: Int,
  workflow_pattern: Type.String({
    description: 'chat, delegating, research, edit-test loop, editing, explore or mixed (docs/data-model.md, Analytics)',
  }),
  success_score: Type.Integer({ minimum: 0, maximum: 100 }),
  input_tokens: Int,
  output_tokens: Int,
  cache_read_tokens: Int,
  cache_creation_tokens: Int,
  cost_usd: Type.Number({ description: "US dollars (the session's counted token usage: docs/data-model.md)" }),
  unpriced_tokens: Int,
});

export const SessionSummaryList = Type.Object({ items: Type.Array(SessionSummaryOut), next_cursor: Str });

export const SessionStatsOut = Type.Object({
  ...SessionSummaryOut.properties,
  tools: Type.Array(
    Type.Object({ tool_name: Type.String(), uses: Int, successful_uses: Int, failed_uses: Int, avg_duration_ms: IntOrNull }),
  ),
});

export const SessionScoreOut = Type.Object({
  session_id: Type.String(),
  success_score: Type.Integer({ minimum: 0, maximum: 100 }),
  workflow_pattern: Type.String(),
  successful_tools: Int,
  failed_tools: Int,
  ended: Type.Boolean(),
  end_reason: Str,
});

const rateFields = {
  successful_uses: Int,
  failed_uses: Int,
  success_rate_pct: Pct,
  avg_duration_ms: IntOrNull,
  p50_duration_ms: ApproxMs('median duration'),
  p95_duration_ms: ApproxMs('95th percentile duration'),
};

export const ToolRateList = Type.Object({
  items: Type.Array(Type.Object({ tool_name: Type.String(), total_uses: Int, ...rateFields, most_common_error: Str })),
});

const periodFields = {
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  total_uses: Int,
  ...rateFields,
};

export const ToolPerformanceOut = Type.Object({
  tool_name: Type.String(),
  ...periodFields,
  most_common_error: Str,
  daily: Type.Array(
    Type.Object({
      day: Type.String({ format: 'date' }),
      total_uses: Int,
      successful_uses: Int,
      failed_uses: Int,
      success_rate_pct: Pct,
      avg_duration_ms: IntOrNull,
    }),
  ),
  previous: Type.Object(periodFields),
  change: Type.Object({
    total_uses_pct: Pct,
    success_rate_pct_points: Type.Union([Type.Number(), Type.Null()]),
    p50_duration_pct: Pct,
  }),
});

const PatternShareOut = Type.Object({ workflow_pattern: Type.String(), sessions: Int, share_pct: Type.Number() });

export const WorkflowDistributionOut = Type.Object({ total_sessions: Int, items: Type.Array(PatternShareOut) });

export const RecentWorkflowsQuery = Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650, default: 7 })) });
export const RecentWorkflowsOut = Type.Object({ days: Int, total_sessions: Int, items: Type.Array(PatternShareOut) });

export const AgentUsageList = Type.Object({
  items: Type.Array(Type.Object({ agent_type: Type.String(), invocations: Int, sessions: Int, ...rateFields })),
});

export const QualityOut = Type.Object({
  session_scores: Type.Array(
    Type.Object({ source: Type.String(), samples: Int, p50: Int, p90: Int, p95: Int, p99: Int }, { description: 'exact, nearest rank' }),
  ),
  tool_durations: Type.Array(
    Type.Object({
      tool_name: Type.String(),
      samples: Int,
      p50_ms: ApproxMs('median'),
      p90_ms: ApproxMs('90th percentile'),
      p95_ms: ApproxMs('95th percentile'),
      p99_ms: ApproxMs('99th percentile'),
    }),
  ),
});
