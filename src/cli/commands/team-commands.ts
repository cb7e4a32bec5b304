import type { Command } from 'commander';
import { intIn } from '../int-option.ts';

// Registrations only, like ../commands.ts: each command's module is imported when it runs.

export function registerTeamCommands(program: Command): void {
  const teams = program.command('teams').description('Team configurations: channels, notification preferences, claims and rules');
  const load = () => import('../teams-command.ts');
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
  const rules = program.command('rules').description('Team rules');
  rules
    .command('test')
    .description("Which of a team's rules an event fires and why each condition matched or not; stores nothing")
    .option('--team <team_id>', "whose rules (default: the event's team, found as hookd finds it)")
    .option('--event <path>', 'the event: a canonical event or an agent hook payload (default stdin)')
    .option('--config <path>', 'try this configuration instead of the saved one')
    .option('--json', 'print the reply of POST /rules/test')
    .action(async (options) => (await import('../rules-command.ts')).rulesTestCommand(program.opts(), options));
  rules
    .command('preview')
    .description("A rule's message template (Mustache) rendered against a stored or given event; stores nothing")
    .option('--template <text>', "the message text, as a rule's template")
    .option('--title <text>', 'the message title (a template too)')
    .option('--event <event_id>', 'a stored event')
    .option('--event-file <path>', 'an event in a JSON file: a canonical event or an agent hook payload')
    .option('--event-json <json>', 'an event as JSON text; - reads stdin')
    .option('--kind <kind>', "the notification kind (built-in title and fields); default: the event's")
    .option('--json', 'print the reply of POST /rules/preview')
    .action(async (options) => (await import('../rules-command.ts')).rulesPreviewCommand(program.opts(), options));
}
