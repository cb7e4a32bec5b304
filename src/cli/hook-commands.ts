import { Option, type Command } from 'commander';
import { intIn } from './int-option.ts';

// Registrations only, like commands.ts: each command's module is imported when it runs.

/** Seed 000's commands: hook executions, their performance figures, team configurations and rules. */
export function registerHookCommands(program: Command): void {
  registerExecutionCommands(program);
  registerPerfCommands(program);
  registerTeamCommands(program);
}

function registerExecutionCommands(program: Command): void {
  const executions = program
    .command('executions')
    .description('List hook executions, newest first')
    .option('--hook <hook_id>', 'only this hook')
    .option('--type <hook_type>', 'only this kind of hook')
    .option('--team <team_id>', 'only this team')
    .addOption(new Option('--status <status>', 'only this status').choices(['RUNNING', 'SUCCESS', 'FAILED', 'TIMEOUT', 'CANCELLED']))
    .option('--event-type <type>', 'only executions triggered by this event type')
    .option('--from <time>', 'started at or after (ISO-8601 or epoch ms)')
    .option('--to <time>', 'started before (ISO-8601 or epoch ms)')
    .option('--limit <n>', 'executions per page, 1-1000', intIn('--limit', 1, 1000), 50)
    .option('--cursor <cursor>', 'continue from a previous page')
    .option('--json', 'print {items, next_cursor} as GET /executions does')
    .action(async (o) =>
      (await import('./executions-command.ts')).executionsCommand(program.opts(), {
        hook_id: o.hook,
        hook_type: o.type,
        team_id: o.team,
        status: o.status,
        event_type: o.eventType,
        from: o.from,
        to: o.to,
        limit: o.limit,
        cursor: o.cursor,
        json: o.json,
      }),
    );
  executions
    .command('show')
    .description('One execution with its errors, notification result and metadata')
    .argument('<execution_id>', 'execution id')
    .option('--json', 'print the execution as GET /executions/{execution_id} does')
    .action(async (id: string, options: { json?: boolean }) =>
      (await import('./executions-command.ts')).executionShowCommand(program.opts(), id, {
        json: options.json || executions.opts().json === true,
      }),
    );
}

function registerPerfCommands(program: Command): void {
  const perf = program.command('perf').description('Hook performance: figures over executions and the hourly rows');
  const load = () => import('./perf-command.ts');
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

function registerTeamCommands(program: Command): void {
  const teams = program.command('teams').description('Team configurations: channels, notification preferences, claims and rules');
  const load = () => import('./teams-command.ts');
  teams
    .command('list')
    .description('Every team with a saved configuration')
    .option('--json', 'print {items} as GET /teams does')
    .action(async (options) => (await load()).teamsListCommand(program.opts(), options));
  teams
    .command('get')
    .description("A team's configuration as JSON on stdout (the default one when it has none), a summary on stderr")
    .argument('<team_id>', 'team id')
    .option('--json', 'print the whole reply of GET /teams/{team_id}/configuration (revision, enabled, ...)')
    .action(async (id: string, options) => (await load()).teamsGetCommand(program.opts(), id, options));
  teams
    .command('set')
    .description("Save a team's whole configuration from a JSON file (or stdin); every problem is reported with its path")
    .argument('<team_id>', 'team id')
    .option('--file <path>', 'the configuration; - or none reads stdin')
    .option(
      '--revision <n>',
      'save only if the stored revision is still N (0: only if none is saved)',
      intIn('--revision', 0, Number.MAX_SAFE_INTEGER),
    )
    .option('--disabled', 'save it with its rules switched off')
    .action(async (id: string, options) => (await load()).teamsSetCommand(program.opts(), id, options));
  for (const action of ['enable', 'disable'] as const) {
    teams
      .command(action)
      .description(action === 'enable' ? "Run the team's rules" : "Stop running the team's rules (the configuration is kept)")
      .argument('<team_id>', 'team id')
      .option('--revision <n>', 'only if the stored revision is still N', intIn('--revision', 0, Number.MAX_SAFE_INTEGER))
      .action(async (id: string, options) => (await load()).teamsEnableCommand(program.opts(), id, action === 'enable', options));
  }
  program
    .command('rules')
    .description('Team rules')
    .command('test')
    .description("Which of a team's rules an event fires and why each condition matched or not; stores nothing")
    .option('--team <team_id>', "whose rules (default: the event's team, found as hookd finds it)")
    .option('--event <path>', 'the event: a canonical event or an agent hook payload (default stdin)')
    .option('--config <path>', 'try this configuration instead of the saved one')
    .option('--json', 'print the reply of POST /rules/test')
    .action(async (options) => (await import('./rules-command.ts')).rulesTestCommand(program.opts(), options));
}
