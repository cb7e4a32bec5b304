import type { PerformanceService, StatisticsQuery, SummaryQuery } from '../modules/performance/performance-service.ts';
import type { ExecutionStatisticsView, PerformanceSummaryView } from '../modules/performance/performance-views.ts';
import { openRuntime } from '../runtime/runtime.ts';
import { readConfig, type GlobalOptions } from './cli-config.ts';
import { formatDuration, printJson, printTable, shortTime, type Column } from './output.ts';

export interface PerfSummaryOptions {
  hook: string;
  from?: string;
  to?: string;
  json?: boolean;
}

export interface PerfAggregateOptions {
  from?: string;
  to?: string;
  json?: boolean;
}

export interface PerfStatsOptions {
  team?: string;
  hours?: number;
  json?: boolean;
}

/** The local user reads and recomputes everything, as `hookd executions` does. */
const SCOPE = {};

// One-shot reads and writes: the storage without the server's SQLite threads.
export async function withPerformance(
  globals: GlobalOptions,
  name: string,
  run: (performance: PerformanceService) => Promise<void>,
): Promise<void> {
  const runtime = await openRuntime(readConfig(globals), { applicationName: name, serverThreads: false }, 'hook performance');
  try {
    await run(runtime.services.performance);
  } finally {
    await runtime.services.close();
  }
}

/** A fraction as a percentage with one decimal; `-` when nothing was counted. */
export function formatRate(rate: number | null): string {
  return rate === null ? '-' : `${(rate * 100).toFixed(1)}%`;
}

const num = <Row>(header: string, value: (row: Row) => string): Column<Row> => ({ header, value, right: true });

const SUMMARY_COLUMNS: Column<PerformanceSummaryView>[] = [
  { header: 'hook', value: (s) => s.hook_id },
  { header: 'from', value: (s) => shortTime(s.from) },
  { header: 'to', value: (s) => shortTime(s.to) },
  num('total', (s) => String(s.total_executions)),
  num('ok', (s) => String(s.successful_executions)),
  num('failed', (s) => String(s.failed_executions)),
  num('cancelled', (s) => String(s.cancelled_executions)),
  num('running', (s) => String(s.running_executions)),
  num('success', (s) => formatRate(s.success_rate)),
  num('avg', (s) => formatDuration(s.avg_execution_time_ms)),
  num('p95', (s) => formatDuration(s.p95_execution_time_ms)),
  num('per hour', (s) => String(s.throughput_per_hour)),
];

const STATS_COLUMNS: Column<ExecutionStatisticsView>[] = [
  { header: 'team', value: (s) => s.team_id ?? '(all)' },
  { header: 'since', value: (s) => shortTime(s.from) },
  num('total', (s) => String(s.total_executions)),
  num('success', (s) => String(s.by_status.SUCCESS)),
  num('failed', (s) => String(s.by_status.FAILED)),
  num('timeout', (s) => String(s.by_status.TIMEOUT)),
  num('cancelled', (s) => String(s.by_status.CANCELLED)),
  num('running', (s) => String(s.by_status.RUNNING)),
  num('success rate', (s) => formatRate(s.success_rate)),
  num('avg', (s) => formatDuration(s.avg_execution_time_ms)),
  num('p95', (s) => formatDuration(s.p95_execution_time_ms)),
];

/** `hookd perf summary --hook ID`: one hook's figures over a range, exact from its executions. */
export async function perfSummaryCommand(globals: GlobalOptions, options: PerfSummaryOptions): Promise<void> {
  await withPerformance(globals, 'hookd-perf', async (performance) => {
    const query: SummaryQuery = { hook_id: options.hook };
    if (options.from !== undefined) query.from = options.from;
    if (options.to !== undefined) query.to = options.to;
    const summary = await performance.summary(query, SCOPE);
    if (options.json) return printJson(summary);
    printTable(SUMMARY_COLUMNS, [summary]);
  });
}

/** `hookd perf aggregate`: recomputes the hourly rows of a range, as POST /performance/aggregate. */
export async function perfAggregateCommand(globals: GlobalOptions, options: PerfAggregateOptions): Promise<void> {
  await withPerformance(globals, 'hookd-perf', async (performance) => {
    const range: { from?: string; to?: string } = {};
    if (options.from !== undefined) range.from = options.from;
    if (options.to !== undefined) range.to = options.to;
    const result = await performance.aggregate(range, SCOPE);
    if (options.json) return printJson(result);
    process.stdout.write(
      `recomputed the hours from ${shortTime(result.from)} to ${shortTime(result.to)}: ` +
        `${result.buckets_written} hourly rows, ${result.buckets_removed} removed\n`,
    );
  });
}

/** `hookd perf stats`: executions of the last N hours, from the executions themselves. */
export async function perfStatsCommand(globals: GlobalOptions, options: PerfStatsOptions): Promise<void> {
  await withPerformance(globals, 'hookd-perf', async (performance) => {
    const query: StatisticsQuery = {};
    if (options.team !== undefined) query.team_id = options.team;
    if (options.hours !== undefined) query.hours = options.hours;
    const stats = await performance.statistics(query, SCOPE);
    if (options.json) return printJson(stats);
    printTable(STATS_COLUMNS, [stats]);
  });
}

/** `hookd cleanup --days N`: deletes older executions, as POST /executions/cleanup. */
export async function cleanupCommand(globals: GlobalOptions, options: { days: number; json?: boolean }): Promise<void> {
  await withPerformance(globals, 'hookd-cleanup', async (performance) => {
    const result = await performance.cleanup(options.days, SCOPE);
    if (options.json) return printJson(result);
    process.stdout.write(
      `deleted ${result.deleted_count} executions started before ${shortTime(result.cutoff)} ` +
        `(${result.buckets_removed} hourly rows removed)\n`,
    );
  });
}
