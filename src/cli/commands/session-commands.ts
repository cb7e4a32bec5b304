import { Option, type Command } from 'commander';
import { intIn } from '../int-option.ts';

// Registrations only, like ../commands.ts: each command's module is imported when it runs.

export function registerSessionCommands(program: Command): void {
  const sessions = program
    .command('sessions')
    .description('List agent sessions, most recently active first')
    .addOption(new Option('--status <status>', 'only these').choices(['active', 'idle', 'ended', 'open']))
    .option('--project <name>', 'only this project')
    .option('--source <source>', 'only this source, e.g. claude-code')
    .option('--limit <n>', 'sessions per page, 1-500', intIn('--limit', 1, 500), 50)
    .option('--cursor <cursor>', 'continue from a previous page')
    .option('--json', 'print {items, next_cursor} as the HTTP API does')
    .action(async (options) => (await import('../sessions-command.ts')).sessionsCommand(program.opts(), options));
  // Commander hands a `--json` after the subcommand to `sessions` itself, which has its own.
  const withJson = <T extends { json?: boolean }>(options: T): T => ({ ...options, json: options.json || sessions.opts().json === true });
  sessions
    .command('show')
    .description('One session: its details, tool calls in order and counts')
    .argument('<id>', 'session id')
    .option('--json', 'print the session as GET /sessions/{id} does')
    .action(async (id: string, options) =>
      (await import('../sessions-command.ts')).sessionShowCommand(program.opts(), id, withJson(options)),
    );
  sessions
    .command('end')
    .description('End a session now, as POST /sessions/{id}/end does (recorded as a session_ended event)')
    .argument('<id>', 'session id')
    .option('--reason <reason>', 'the end_reason to record', 'cli')
    .option('--json', 'print the session as the HTTP API returns it')
    .action(async (id: string, options) =>
      (await import('../sessions-command.ts')).sessionEndCommand(program.opts(), id, withJson(options)),
    );
  sessions
    .command('delete')
    .description('Delete a session with its tool uses and all its events; this cannot be undone')
    .argument('<id>', 'session id')
    .action(async (id: string) => (await import('../sessions-command.ts')).sessionDeleteCommand(program.opts(), id));
}
