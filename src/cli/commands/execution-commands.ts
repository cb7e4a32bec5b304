import { Option, type Command } from 'commander';
import { intIn } from '../int-option.ts';

// Registrations only, like ../commands.ts: each command's module is imported when it runs.

export function registerExecutionCommands(program: Command): void {
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
      (await import('../executions-command.ts')).executionsCommand(program.opts(), {
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
      (await import('../executions-command.ts')).executionShowCommand(program.opts(), id, {
        json: options.json || executions.opts().json === true,
      }),
    );
}
