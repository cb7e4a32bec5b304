import { Option, type Command } from 'commander';
import { intIn } from '../int-option.ts';

// Registrations only, like ../commands.ts: each command's module is imported when it runs.

const STATS_FILTERS = ['since', 'from', 'to', 'source', 'project', 'team'] as const;

function addStatsFilters(command: Command): Command {
  return command
    .option('--since <duration>', 'this long back from now, e.g. 90m, 24h, 7d, 4w (instead of --from)')
    .option('--from <time>', 'from this time, inclusive (ISO-8601 or epoch ms)')
    .option('--to <time>', 'until this time, exclusive (ISO-8601 or epoch ms)')
    .option('--source <source>', 'only this source, e.g. claude-code')
    .option('--project <name>', 'only this project')
    .option('--team <team>', 'only this team');
}

export function registerStatsCommands(program: Command): void {
  const stats = addStatsFilters(
    program.command('stats').description('Analytics of sessions, tools, workflow patterns and subagents, as /analytics answers them'),
  ).option('--json', 'print JSON as the HTTP API does');
  // Commander hands an option `stats` also has to `stats` wherever it stands, so
  // `hookd stats tools --since 7d --json` arrives there; the subcommands repeat the
  // options for their --help and take them from `stats`.
  const merged = <T extends Record<string, unknown>>(options: T): T => {
    const all: Record<string, unknown> = { ...options };
    for (const [key, value] of Object.entries(stats.opts())) if (all[key] === undefined) all[key] = value;
    return all as T;
  };
  /** For reads the filters do not apply to: refused rather than silently ignored. */
  const noFilters = <T extends Record<string, unknown>>(command: Command, what: string, options: T, instead: string): T => {
    const given = STATS_FILTERS.find((key) => options[key] !== undefined);
    if (given) command.error(`error: --${given} does not apply to \`hookd stats ${what}\`; ${instead}`);
    return options;
  };
  const load = () => import('../stats-command.ts');

  addStatsFilters(stats.command('sessions').description('Session summaries (pattern, score, tool calls), newest start first'))
    .option('--pattern <pattern>', 'only this workflow pattern, e.g. "edit-test loop"')
    .option('--limit <n>', 'sessions per page, 1-1000', intIn('--limit', 1, 1000), 50)
    .option('--cursor <cursor>', 'continue from a previous page')
    .option('--json', 'print {items, next_cursor} as GET /analytics/sessions does')
    .action(async (options) => (await load()).statsSessionsCommand(program.opts(), merged(options)));
  stats
    .command('session')
    .description("One session's summary, workflow pattern and score, and its calls per tool")
    .argument('<id>', 'session id')
    .option('--json', 'print the session as GET /analytics/sessions/{id} does')
    .action(async (id: string, options, command: Command) =>
      (await load()).statsSessionCommand(program.opts(), id, noFilters(command, 'session', merged(options), 'it covers the whole session')),
    );
  addStatsFilters(stats.command('tools').description('Success rate, durations and most common error per tool, most used first'))
    .option('--json', 'print {items} as GET /analytics/tools does')
    .action(async (options) => (await load()).statsToolsCommand(program.opts(), merged(options)));
  addStatsFilters(
    stats
      .command('tool')
      .description('One tool over a period (default the last 7 days): totals, change against the period before, day by day'),
  )
    .argument('<name>', 'tool name, e.g. Bash')
    .option('--json', 'print the figures as GET /analytics/tools/{name} does')
    .action(async (name: string, options) => (await load()).statsToolCommand(program.opts(), name, merged(options)));
  addStatsFilters(stats.command('workflows').description('Sessions per workflow pattern (chat, explore, editing, edit-test loop, ...)'))
    .option('--recent <days>', 'of the sessions started in the last N days, as GET /analytics/workflows/recent', intIn('--recent', 1, 3650))
    .option('--json', 'print the distribution as GET /analytics/workflows does')
    .action(async (options, command: Command) => {
      const all = merged(options);
      if (all.recent !== undefined) noFilters(command, 'workflows --recent', all, 'for filtered figures use --since instead');
      return (await load()).statsWorkflowsCommand(program.opts(), all);
    });
  addStatsFilters(stats.command('agents').description('Subagent calls per subagent type: sessions, success rate, durations'))
    .option('--json', 'print {items} as GET /analytics/agents does')
    .action(async (options) => (await load()).statsAgentsCommand(program.opts(), merged(options)));
  addStatsFilters(stats.command('quality').description('Percentiles of session scores per source and of durations per tool'))
    .option('--json', 'print the distributions as GET /analytics/quality does')
    .action(async (options) => (await load()).statsQualityCommand(program.opts(), merged(options)));
  addStatsFilters(
    stats.command('cost').description("Tokens and cost of the agents' model requests per day (or model, project, ...), with the totals"),
  )
    .addOption(
      new Option('--by <grouping>', 'group by the UTC day, or by model, project, team, source or session (biggest cost first)')
        .choices(['day', 'model', 'project', 'team', 'source', 'session'])
        .default('day'),
    )
    .option('--model <model>', 'only this model')
    .option('--limit <n>', 'groups at most, 1-1000 (every day is listed)', intIn('--limit', 1, 1000), 100)
    .option('--json', 'print the figures as GET /analytics/cost does')
    .action(async (options) => (await load()).statsCostCommand(program.opts(), merged(options)));
}
