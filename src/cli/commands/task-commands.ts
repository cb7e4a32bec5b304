import type { Command } from 'commander';
import { intIn } from '../int-option.ts';

// Registrations only, like ../commands.ts: each command's module is imported when it runs.

export function registerTaskCommands(program: Command): void {
  const tasks = program.command('tasks').description('CI/CD tasks, their relationships and dependency graph');
  const load = () => import('../tasks-command.ts');
  const writeOptions = (command: Command): Command =>
    command
      .option('--title <title>', 'the title')
      .option('--description <text>', 'the description')
      .option('--priority <n>', 'priority, 0-10', intIn('--priority', 0, 10))
      .option('--assignee <name>', 'who works on it')
      .option('--agent <name>', 'the agent that works on it')
      .option('--parent <task_id>', 'the parent task')
      .option('--status <status>', 'queued, in_progress or completed')
      .option('--conclusion <conclusion>', 'with completed: success, failure, neutral, cancelled, skipped, timed_out, action_required')
      .option('--json', 'print the task as the HTTP API returns it');
  tasks
    .command('list')
    .description('Tasks, newest first, as GET /tasks')
    .option('--status <list>', 'comma-separated statuses')
    .option('--min-priority <n>', 'at least this priority', intIn('--min-priority', 0, 10))
    .option('--assignee <name>', 'only this assignee')
    .option('--parent <task_id>', 'only the children of this task')
    .option('--q <text>', 'text in the title or description')
    .option('--from <time>', 'created at or after (ISO-8601 or epoch ms)')
    .option('--to <time>', 'created before')
    .option('--limit <n>', 'tasks per page, 1-500', intIn('--limit', 1, 500))
    .option('--cursor <cursor>', 'continue from a previous page')
    .option('--json', 'print {items, next_cursor} as the HTTP API does')
    .action(async (options) => (await load()).tasksListCommand(program.opts(), options));
  tasks
    .command('show')
    .description('One task and its relationships')
    .argument('<task_id>', 'task id')
    .option('--json', 'print the task with its relationships')
    .action(async (id: string, options) => (await load()).tasksShowCommand(program.opts(), id, options));
  writeOptions(
    tasks
      .command('create')
      .description('Create a task, as POST /tasks')
      .argument('[task_id]', 'an id of your choosing (default: a UUIDv7)'),
  )
    .option('--team <team_id>', 'the owning team')
    .action(async (id: string | undefined, options) => (await load()).tasksCreateCommand(program.opts(), id, options));
  writeOptions(tasks.command('update').description('Change a task, as PATCH /tasks/{id}').argument('<task_id>', 'task id')).action(
    async (id: string, options) => (await load()).tasksUpdateCommand(program.opts(), id, options),
  );
  tasks
    .command('link')
    .description('Relate two tasks: FROM blocks|depends_on|related|duplicates|parent_of TO')
    .argument('<from>', 'task id')
    .argument('<kind>', 'blocks, depends_on, related, duplicates or parent_of')
    .argument('<to>', 'task id')
    .option('--strength <s>', 'from 0 to 1 (default 1)', (v) => Number(v))
    .option('--json', 'print the relationship')
    .action(async (from: string, kind: string, to: string, options) =>
      (await load()).tasksLinkCommand(program.opts(), from, kind, to, options),
    );
  tasks
    .command('graph')
    .description('The dependency tree of a task, drawn in the terminal')
    .argument('<task_id>', 'task id')
    .option('--depth <n>', 'how far, 1-10 (default 3)', intIn('--depth', 1, 10))
    .option('--json', 'print {nodes, edges} as GET /tasks/{id}/graph')
    .action(async (id: string, options) => (await load()).tasksGraphCommand(program.opts(), id, options));
}
