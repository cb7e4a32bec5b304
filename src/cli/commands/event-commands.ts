import { Option, type Command } from 'commander';
import { intIn } from '../int-option.ts';

// Registrations only, like ../commands.ts: each command's module is imported when it runs.

function addFilterOptions(command: Command): Command {
  return command
    .option('--session <id>', 'only this session')
    .option('--type <type>', 'only this event type')
    .option('--source <source>', 'only this source, e.g. claude-code')
    .option('--workflow <id>', 'only this workflow')
    .option('--from <time>', 'events at or after this time (ISO-8601 or epoch ms)')
    .option('--to <time>', 'events before this time (ISO-8601 or epoch ms)');
}

export function registerEventCommands(program: Command): void {
  addFilterOptions(program.command('events').description('List stored events, newest first'))
    .option('--limit <n>', 'events per page, 1-1000', intIn('--limit', 1, 1000), 50)
    .option('--cursor <cursor>', 'continue from a previous page')
    .option('--json', 'print {items, next_cursor} as the HTTP API does')
    .action(async (options) => (await import('../events-command.ts')).eventsCommand(program.opts(), options));

  program
    .command('import')
    .description('Import events from a JSONL file (one event per line); re-importing stores nothing twice')
    .argument('<file>', 'JSONL file, as `hookd export` or jsonl storage writes it')
    .option('--batch <n>', 'events per transaction, 1-10000', intIn('--batch', 1, 10_000), 500)
    .action(async (file: string, options) => (await import('../import-command.ts')).importCommand(program.opts(), file, options));

  program
    .command('tail')
    .description('Follow new events live from the running server (GET /events/stream); resumes after a dropped connection')
    .option('--session <id>', 'only this session')
    .option('--source <source>', 'only this source, e.g. claude-code')
    .option('--type <type>', 'only this event type')
    .option('--json', 'print each event as one line of JSON, as the HTTP API returns it')
    .option('--url <url>', 'the server (default: HOOKD_URL, else http://HOST:PORT)')
    .action(async (options) => (await import('../tail-command.ts')).tailCommand(program.opts(), options));

  addFilterOptions(program.command('export').description('Write every matching event, oldest first'))
    .addOption(new Option('--format <format>', 'output format').choices(['jsonl', 'csv']).default('jsonl'))
    .option('--output <file>', 'write to this file instead of stdout')
    .action(async (options) => (await import('../export-command.ts')).exportCommand(program.opts(), options));
}
