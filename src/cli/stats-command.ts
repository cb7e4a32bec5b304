import type { SessionSummary, ScoreDistribution, ToolBreakdown } from '../modules/analytics/analytics.ts';
import type {
  AgentUsage,
  AnalyticsQuery,
  AnalyticsService,
  DayFigures,
  PatternShare,
  PeriodFigures,
  ToolDurations,
  ToolRate,
} from '../modules/analytics/analytics-service.ts';
import type { CostGroup, CostGrouping } from '../modules/cost-figures/cost-figures.ts';
import { DEFAULT_COST_LIMIT, type CostService } from '../modules/cost-figures/cost-service.ts';
import { openRuntime } from '../runtime/runtime.ts';
import { readConfig, type GlobalOptions } from './cli-config.ts';
import { formatDuration, formatTable, printJson, printTable, shortTime, truncate, type Column } from './output.ts';

/** The filters every analytics route takes, as flags; `--json` prints what the HTTP API returns. */
export interface StatsOptions extends AnalyticsQuery {
  json?: boolean;
}

export interface StatsSessionsOptions extends StatsOptions {
  limit?: number;
  cursor?: string;
  pattern?: string;
}

export interface StatsWorkflowsOptions extends StatsOptions {
  recent?: number;
}

export interface StatsCostOptions extends StatsOptions {
  by?: CostGrouping;
  model?: string;
  limit?: number;
}

const FILTER_KEYS = ['since', 'from', 'to', 'source', 'project', 'team'] as const;

/** The local user reads everything, as `hookd sessions` does. */
const SCOPE = {};

async function withAnalytics(globals: GlobalOptions, run: (analytics: AnalyticsService) => Promise<void>): Promise<void> {
  const runtime = await openRuntime(readConfig(globals), { applicationName: 'hookd-stats', serverThreads: false }, 'analytics');
  try {
    await run(runtime.services.analytics);
  } finally {
    await runtime.services.close();
  }
}

function queryOf(options: StatsOptions): AnalyticsQuery {
  const query: AnalyticsQuery = {};
  for (const key of FILTER_KEYS) if (options[key] !== undefined) query[key] = options[key];
  return query;
}

const out = (text: string): void => void process.stdout.write(`${text}\n`);
const line = (label: string, value: string | number | null) => out(`${label.padEnd(14)}${value ?? '-'}`);

/** One decimal and a % sign, as the API rounds them; `-` when there is nothing to divide. */
export function formatPct(value: number | null): string {
  return value === null ? '-' : `${value.toFixed(1)}%`;
}

/** A signed change: +12.5%, -3.0 pts; `-` when there is nothing to compare against. */
export function formatChange(value: number | null, unit: '%' | ' pts'): string {
  if (value === null) return '-';
  return `${value > 0 ? '+' : ''}${value.toFixed(1)}${unit}`;
}

const count = (n: number) => String(n);
const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
const num = <Row>(header: string, value: (row: Row) => string): Column<Row> => ({ header, value, right: true });

const SESSION_COLUMNS: Column<SessionSummary>[] = [
  { header: 'start', value: (s) => shortTime(s.session_start) },
  { header: 'session', value: (s) => s.session_id },
  { header: 'project', value: (s) => s.project ?? '-' },
  { header: 'pattern', value: (s) => s.workflow_pattern },
  num('score', (s) => count(s.success_score)),
  num('tools ok/failed', (s) => `${s.successful_tools}/${s.failed_tools}`),
  num('duration', (s) => formatDuration(s.duration_ms)),
];

const RATE_COLUMNS = <Row extends Omit<ToolRate, 'tool_name' | 'total_uses' | 'most_common_error'>>(): Column<Row>[] => [
  num('ok', (r) => count(r.successful_uses)),
  num('failed', (r) => count(r.failed_uses)),
  num('success', (r) => formatPct(r.success_rate_pct)),
  num('avg', (r) => formatDuration(r.avg_duration_ms)),
  num('p50', (r) => formatDuration(r.p50_duration_ms)),
  num('p95', (r) => formatDuration(r.p95_duration_ms)),
];

const TOOL_COLUMNS: Column<ToolRate>[] = [
  { header: 'tool', value: (t) => t.tool_name },
  num('uses', (t) => count(t.total_uses)),
  ...RATE_COLUMNS<ToolRate>(),
  { header: 'most common error', value: (t) => truncate((t.most_common_error ?? '-').replace(/\s+/g, ' '), 60) },
];

const AGENT_COLUMNS: Column<AgentUsage>[] = [
  { header: 'agent', value: (a) => a.agent_type },
  num('calls', (a) => count(a.invocations)),
  num('sessions', (a) => count(a.sessions)),
  ...RATE_COLUMNS<AgentUsage>(),
];

const PATTERN_COLUMNS: Column<PatternShare>[] = [
  { header: 'pattern', value: (p) => p.workflow_pattern },
  num('sessions', (p) => count(p.sessions)),
  num('share', (p) => formatPct(p.share_pct)),
];

const SCORE_COLUMNS: Column<ScoreDistribution>[] = [
  { header: 'source', value: (s) => s.source },
  num('sessions', (s) => count(s.samples)),
  num('p50', (s) => count(s.p50)),
  num('p90', (s) => count(s.p90)),
  num('p95', (s) => count(s.p95)),
  num('p99', (s) => count(s.p99)),
];

const DURATION_COLUMNS: Column<ToolDurations>[] = [
  { header: 'tool', value: (d) => d.tool_name },
  num('timed calls', (d) => count(d.samples)),
  num('p50', (d) => formatDuration(d.p50_ms)),
  num('p90', (d) => formatDuration(d.p90_ms)),
  num('p95', (d) => formatDuration(d.p95_ms)),
  num('p99', (d) => formatDuration(d.p99_ms)),
];

const BREAKDOWN_COLUMNS: Column<ToolBreakdown>[] = [
  { header: 'tool', value: (t) => t.tool_name },
  num('uses', (t) => count(t.uses)),
  num('ok', (t) => count(t.successful_uses)),
  num('failed', (t) => count(t.failed_uses)),
  num('avg', (t) => formatDuration(t.avg_duration_ms)),
];

const DAY_COLUMNS: Column<DayFigures>[] = [
  { header: 'day', value: (d) => d.day },
  num('uses', (d) => count(d.total_uses)),
  num('ok', (d) => count(d.successful_uses)),
  num('failed', (d) => count(d.failed_uses)),
  num('success', (d) => formatPct(d.success_rate_pct)),
  num('avg', (d) => formatDuration(d.avg_duration_ms)),
];

/** `hookd stats sessions`: one page of session summaries, newest start first. */
export async function statsSessionsCommand(globals: GlobalOptions, options: StatsSessionsOptions): Promise<void> {
  await withAnalytics(globals, async (analytics) => {
    const query: Parameters<AnalyticsService['sessions']>[0] = { ...queryOf(options), limit: options.limit ?? 50 };
    if (options.cursor !== undefined) query.cursor = options.cursor;
    if (options.pattern !== undefined) query.pattern = options.pattern;
    const page = await analytics.sessions(query, SCOPE);
    if (options.json) return printJson(page);
    if (page.items.length === 0) out('no sessions match');
    else printTable(SESSION_COLUMNS, page.items);
    if (page.next_cursor) out(`more: repeat with --cursor ${page.next_cursor} for the next page`);
  });
}

/** `hookd stats session ID`: the summary as label and value, then its calls per tool. */
export async function statsSessionCommand(globals: GlobalOptions, id: string, options: StatsOptions): Promise<void> {
  await withAnalytics(globals, async (analytics) => {
    const s = await analytics.session(id, SCOPE);
    if (options.json) return printJson(s);
    line('session', s.session_id);
    line('source', s.source);
    line('project', s.project);
    line('team', s.team_id);
    line('user', s.user);
    line('host', s.host);
    line('model', s.model);
    line('started', shortTime(s.session_start));
    line('ended', s.session_end ? `${shortTime(s.session_end)}${s.end_reason ? ` (${s.end_reason})` : ''}` : null);
    line('last activity', shortTime(s.last_activity_at));
    line('duration', formatDuration(s.duration_ms));
    line('pattern', s.workflow_pattern);
    line('score', `${s.success_score}/100`);
    line('tool calls', `${s.tool_calls}: ${s.successful_tools} ok, ${s.failed_tools} failed (${formatPct(s.success_rate_pct)} success)`);
    line(
      'kinds',
      `explore ${s.explore_calls}, edit ${s.edit_calls}, test ${s.test_runs}, delegate ${s.delegate_calls}, research ${s.research_calls}`,
    );
    line('counts', `${plural(s.total_events, 'event')}, ${plural(s.prompts, 'prompt')}, ${plural(s.subagents_used, 'subagent')}`);
    out('');
    if (s.tools.length === 0) out('no completed tool calls');
    else printTable(BREAKDOWN_COLUMNS, s.tools);
  });
}

/** `hookd stats tools`: success rates and durations per tool, most used first. */
export async function statsToolsCommand(globals: GlobalOptions, options: StatsOptions): Promise<void> {
  await withAnalytics(globals, async (analytics) => {
    const result = await analytics.tools(queryOf(options), SCOPE);
    if (options.json) return printJson(result);
    if (result.items.length === 0) out('no completed tool calls match');
    else printTable(TOOL_COLUMNS, result.items);
  });
}

const periodText = (p: PeriodFigures) => `${shortTime(p.from)} to ${shortTime(p.to)}`;

/** `hookd stats tool NAME`: one tool over a period, the change against the period before, then day by day. */
export async function statsToolCommand(globals: GlobalOptions, name: string, options: StatsOptions): Promise<void> {
  await withAnalytics(globals, async (analytics) => {
    const t = await analytics.tool(name, queryOf(options), SCOPE);
    if (options.json) return printJson(t);
    const p = t.previous;
    line('tool', t.tool_name);
    line('period', periodText(t));
    line('uses', `${t.total_uses}: ${t.successful_uses} ok, ${t.failed_uses} failed`);
    line('success', formatPct(t.success_rate_pct));
    line(
      'duration',
      `avg ${formatDuration(t.avg_duration_ms)}, p50 ${formatDuration(t.p50_duration_ms)}, p95 ${formatDuration(t.p95_duration_ms)}`,
    );
    line('common error', t.most_common_error === null ? null : truncate(t.most_common_error.replace(/\s+/g, ' '), 100));
    line(
      'previous',
      `${periodText(p)}: ${p.total_uses} uses, ${formatPct(p.success_rate_pct)} success, p50 ${formatDuration(p.p50_duration_ms)}`,
    );
    line(
      'change',
      `uses ${formatChange(t.change.total_uses_pct, '%')}, success ${formatChange(t.change.success_rate_pct_points, ' pts')}, ` +
        `p50 ${formatChange(t.change.p50_duration_pct, '%')}`,
    );
    out('');
    if (t.daily.length === 0) out('no completed calls in this period');
    else printTable(DAY_COLUMNS, t.daily);
  });
}

/** `hookd stats workflows`: sessions per workflow pattern; with --recent N, of the sessions started in the last N days. */
export async function statsWorkflowsCommand(globals: GlobalOptions, options: StatsWorkflowsOptions): Promise<void> {
  await withAnalytics(globals, async (analytics) => {
    const result =
      options.recent !== undefined
        ? await analytics.recentWorkflows(options.recent, SCOPE)
        : await analytics.workflows(queryOf(options), SCOPE);
    if (options.json) return printJson(result);
    if (result.items.length === 0) return out('no sessions match');
    printTable(PATTERN_COLUMNS, result.items);
    out(`${plural(result.total_sessions, 'session')}${options.recent !== undefined ? ` started in the last ${options.recent} days` : ''}`);
  });
}

/** `hookd stats agents`: subagent calls per subagent type. */
export async function statsAgentsCommand(globals: GlobalOptions, options: StatsOptions): Promise<void> {
  await withAnalytics(globals, async (analytics) => {
    const result = await analytics.agents(queryOf(options), SCOPE);
    if (options.json) return printJson(result);
    if (result.items.length === 0) out('no completed subagent calls match');
    else printTable(AGENT_COLUMNS, result.items);
  });
}

/** `hookd stats quality`: percentiles of session scores per source and of durations per tool. */
export async function statsQualityCommand(globals: GlobalOptions, options: StatsOptions): Promise<void> {
  await withAnalytics(globals, async (analytics) => {
    const result = await analytics.quality(queryOf(options), SCOPE);
    if (options.json) return printJson(result);
    if (result.session_scores.length === 0 && result.tool_durations.length === 0) return out('no sessions or tool calls match');
    out('session success scores (0-100, exact)');
    if (result.session_scores.length === 0) out('no sessions match');
    else printTable(SCORE_COLUMNS, result.session_scores);
    out('');
    out('tool durations (from the duration bins: within 14%)');
    if (result.tool_durations.length === 0) out('no timed tool calls match');
    else printTable(DURATION_COLUMNS, result.tool_durations);
  });
}

async function withCost(globals: GlobalOptions, run: (cost: CostService) => Promise<void>): Promise<void> {
  const runtime = await openRuntime(readConfig(globals), { applicationName: 'hookd-stats', serverThreads: false }, 'analytics');
  try {
    await run(runtime.services.cost);
  } finally {
    await runtime.services.close();
  }
}

/** Whole tokens with thousands separators: 1,234,567. */
const tokens = (n: number) => n.toLocaleString('en-US');
/** Dollars to the cent, or to four places under a dollar, where the cents would all be zero. */
export function formatUsd(usd: number): string {
  return `$${usd.toFixed(Math.abs(usd) >= 1 || usd === 0 ? 2 : 4)}`;
}

const costColumns = (by: CostGrouping): Column<CostGroup>[] => [
  { header: by, value: (g) => g.key ?? '-' },
  num('requests', (g) => count(g.requests)),
  num('sessions', (g) => count(g.sessions)),
  num('input', (g) => tokens(g.input_tokens)),
  num('output', (g) => tokens(g.output_tokens)),
  num('cache read', (g) => tokens(g.cache_read_tokens)),
  num('cache write', (g) => tokens(g.cache_creation_tokens)),
  num('cost', (g) => formatUsd(g.cost_usd)),
  num('unpriced', (g) => tokens(g.unpriced_tokens)),
];

/** `hookd stats cost`: tokens and cost per day (or model, project, ...), the totals, and the date of the prices. */
export async function statsCostCommand(globals: GlobalOptions, options: StatsCostOptions): Promise<void> {
  await withCost(globals, async (cost) => {
    const query: Parameters<CostService['cost']>[0] = {
      ...queryOf(options),
      group_by: options.by ?? 'day',
      limit: options.limit ?? DEFAULT_COST_LIMIT,
    };
    if (options.model !== undefined) query.model = options.model;
    const report = await cost.cost(query, SCOPE);
    if (options.json) return printJson(report);
    if (report.items.length === 0) return out('no token usage matches');
    // The totals as the table's last row, under a rule, so its figures line up with the groups'.
    const columns = costColumns(report.group_by);
    const rows = formatTable(columns, [...report.items, { key: 'total', ...report.totals }]).split('\n');
    const last = rows.length - 2;
    const rule = '-'.repeat(Math.max(...rows.map((r) => r.length)));
    process.stdout.write([...rows.slice(0, last), rule, ...rows.slice(last)].join('\n'));
    if (report.truncated) out(`the ${report.items.length} biggest of more groups; the total covers them all (--limit shows more)`);
    const unpriced = report.totals.unpriced_tokens;
    out(
      `prices as of ${report.prices_as_of}${unpriced > 0 ? `; ${tokens(unpriced)} tokens of models without a price are not in the cost` : ''}`,
    );
  });
}
