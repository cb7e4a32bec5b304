import type { Command } from 'commander';
import { intIn } from '../int-option.ts';

// Registrations only, like ../commands.ts: each command's module is imported when it runs.

export function registerPerfCommands(program: Command): void {
  const perf = program.command('perf').description('Hook performance: figures over executions and the hourly rows');
  const load = () => import('../perf-command.ts');
  perf
    .command('summary')
    .description("One hook's executions over a range (default the last 24 hours): outcomes, success rate, mean and p95 time")
    .requiredOption('--hook <hook_id>', 'the hook')
    .option('--from <time>', 'started at or after (ISO-8601 or epoch ms)')
    .option('--to <time>', 'started before (ISO-8601 or epoch ms; default now)')
    .option('--json', 'print the figures as GET /performance/summary does')
    .action(async (options) => (await load()).perfSummaryCommand(program.opts(), options));
  perf
    .command('aggregate')
    .description('Recompute the hourly rows of every hour overlapping a range (default the last 24 hours); safe to repeat')
    .option('--from <time>', 'from the hour holding this time (ISO-8601 or epoch ms)')
    .option('--to <time>', 'to this time, its hour included (ISO-8601 or epoch ms; default now)')
    .option('--json', 'print the result as POST /performance/aggregate does')
    .action(async (options) => (await load()).perfAggregateCommand(program.opts(), options));
  perf
    .command('stats')
    .description('Executions started in the last N hours, by status, with success rate, mean and p95 time')
    .option('--team <team_id>', 'only this team')
    .option('--hours <n>', 'how many hours back, 1-8760', intIn('--hours', 1, 8760), 24)
    .option('--json', 'print the statistics as GET /executions/statistics does')
    .action(async (options) => (await load()).perfStatsCommand(program.opts(), options));
  program
    .command('cleanup')
    .description('Delete hook executions started more than N days ago, with the hourly rows of the hours they leave; this cannot be undone')
    .requiredOption('--days <n>', 'keep this many days, 1-36500', intIn('--days', 1, 36_500))
    .option('--json', 'print the result as POST /executions/cleanup does')
    .action(async (options) => (await load()).cleanupCommand(program.opts(), options));
}
