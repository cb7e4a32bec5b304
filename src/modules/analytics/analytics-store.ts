import type { PostgresDatabase, SqliteDatabase } from '../../db/database.ts';
import { POSTGRES_DIALECT, type Query } from '../../db/sql-dialect.ts';
import { num, numOrNull, postgresRunner, sqliteRunner, type SqlRunner } from '../../db/sql-runner.ts';
import type { AnalyticsFilter, RollupTotals, ScoreDistribution, SessionSummary, ToolBreakdown } from './analytics.ts';
import { roundedMean, scoreDistributions } from './analytics.ts';
import {
  agentSessionsQuery,
  errorTotalsQuery,
  patternQuery,
  rollupTotalsQuery,
  scoreCountsQuery,
  sessionListQuery,
  sessionQuery,
  sessionToolsQuery,
  type SessionPage,
} from './analytics-queries.ts';
import { BIN_COLUMNS } from '../derivation/duration-bins.ts';

/** Reads of the analytics tables and views; one implementation over the shared queries, per-dialect runners. */
export interface AnalyticsStore {
  sessions(filter: AnalyticsFilter, page: SessionPage): Promise<SessionSummary[]>;
  session(sessionId: string): Promise<SessionSummary | null>;
  sessionTools(sessionId: string): Promise<ToolBreakdown[]>;
  rollups(
    filter: AnalyticsFilter,
    key: 'tool_name' | 'subagent_type' | 'bucket',
    only?: { toolName?: string; subagents?: boolean },
  ): Promise<RollupTotals[]>;
  /** Failures per tool and error, biggest first. */
  errors(filter: AnalyticsFilter, toolName?: string): Promise<{ tool_name: string; error: string; failures: number }[]>;
  patterns(filter: AnalyticsFilter): Promise<{ workflow_pattern: string; sessions: number }[]>;
  scores(filter: AnalyticsFilter): Promise<ScoreDistribution[]>;
  agentSessions(filter: AnalyticsFilter): Promise<Map<string, number>>;
  /** The query and plan behind a read, for the benchmark (PostgreSQL: EXPLAIN ANALYZE). */
  explain?(query: Query): Promise<string>;
}

type Row = Record<string, unknown>;

/** The shared runner, and on PostgreSQL a way to see a query's plan (bench:analytics). */
type Runner = SqlRunner & { explain?(query: Query): Promise<string> };

export const sqliteAnalyticsRunner = (db: SqliteDatabase): Runner => sqliteRunner(db);

export function postgresAnalyticsRunner(db: PostgresDatabase): Runner {
  return {
    ...postgresRunner(db),
    async explain(query) {
      // The analytics SQL has no `?` of its own.
      const { rows } = await db.pool.query<Row>(`EXPLAIN (ANALYZE, BUFFERS) ${POSTGRES_DIALECT.placeholders(query.text)}`, query.values);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    },
  };
}
const iso = (v: unknown): string => new Date(v instanceof Date ? v.getTime() : Number(v)).toISOString();
const isoOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : iso(v));

function summaryFromRow(r: Row): SessionSummary {
  return {
    session_id: r.session_id as string,
    source: r.source as string,
    project: r.project as string | null,
    team_id: r.team_id as string | null,
    user: r.user as string | null,
    host: r.host as string | null,
    model: r.model as string | null,
    session_start: iso(r.session_start),
    session_end: isoOrNull(r.session_end),
    end_reason: r.end_reason as string | null,
    last_activity_at: iso(r.last_activity_at),
    duration_ms: num(r.duration_ms),
    total_events: num(r.total_events),
    prompts: num(r.prompts),
    tool_calls: num(r.tool_calls),
    successful_tools: num(r.successful_tools),
    failed_tools: num(r.failed_tools),
    success_rate_pct: numOrNull(r.success_rate_pct),
    subagents_used: num(r.subagents_used),
    explore_calls: num(r.explore_calls),
    edit_calls: num(r.edit_calls),
    test_runs: num(r.test_runs),
    delegate_calls: num(r.delegate_calls),
    research_calls: num(r.research_calls),
    workflow_pattern: r.workflow_pattern as string,
    success_score: num(r.success_score),
    input_tokens: num(r.input_tokens),
    output_tokens: num(r.output_tokens),
    cache_read_tokens: num(r.cache_read_tokens),
    cache_creation_tokens: num(r.cache_creation_tokens),
    cost_usd: num(r.cost_usd),
    unpriced_tokens: num(r.unpriced_tokens),
  };
}

export function createAnalyticsStore(runner: Runner): AnalyticsStore {
  const d = runner.dialect;
  const store: AnalyticsStore = {
    async sessions(filter, page) {
      return (await runner.all(sessionListQuery(d, filter, page))).map(summaryFromRow);
    },
    async session(sessionId) {
      const q = sessionQuery();
      const [row] = await runner.all({ ...q, values: [sessionId] });
      return row ? summaryFromRow(row) : null;
    },
    async sessionTools(sessionId) {
      const q = sessionToolsQuery();
      return (await runner.all({ ...q, values: [sessionId] })).map((r) => ({
        tool_name: r.tool_name as string,
        uses: num(r.uses),
        successful_uses: num(r.successful_uses),
        failed_uses: num(r.failed_uses),
        avg_duration_ms: roundedMean(num(r.duration_sum_ms ?? 0), num(r.timed)),
      }));
    },
    async rollups(filter, key, only) {
      return (await runner.all(rollupTotalsQuery(d, filter, key, only))).map((r) => ({
        key: String(r.key),
        succeeded: num(r.succeeded),
        failed: num(r.failed),
        timed: num(r.timed),
        durationSumMs: num(r.duration_sum_ms),
        bins: BIN_COLUMNS.map((c) => num(r[c])),
      }));
    },
    async errors(filter, toolName) {
      const rows = (await runner.all(errorTotalsQuery(d, filter, toolName))).map((r) => ({
        tool_name: r.tool_name as string,
        error: r.error as string,
        failures: num(r.failures),
      }));
      // Biggest first; ties by error text, as the view orders them.
      return rows.sort((a, b) => b.failures - a.failures || (a.error < b.error ? -1 : a.error > b.error ? 1 : 0));
    },
    async patterns(filter) {
      return (await runner.all(patternQuery(d, filter))).map((r) => ({
        workflow_pattern: r.workflow_pattern as string,
        sessions: num(r.sessions),
      }));
    },
    async scores(filter) {
      const rows = await runner.all(scoreCountsQuery(d, filter));
      return scoreDistributions(rows.map((r) => ({ source: r.source as string, score: num(r.success_score), sessions: num(r.sessions) })));
    },
    async agentSessions(filter) {
      return new Map((await runner.all(agentSessionsQuery(d, filter))).map((r) => [r.key as string, num(r.sessions)]));
    },
  };
  if (runner.explain) store.explain = runner.explain;
  return store;
}
