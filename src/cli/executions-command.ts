import type { ExecutionQuery, ExecutionService, ExecutionView } from '../modules/executions/execution-service.ts';
import { openRuntime } from '../runtime/runtime.ts';
import { readConfig, type GlobalOptions } from './cli-config.ts';
import { formatDuration, printJson, printTable, shortTime, truncate, type Column } from './output.ts';

export type ExecutionsOptions = Omit<ExecutionQuery, 'limit'> & { limit?: number; json?: boolean };

const COLUMNS: Column<ExecutionView>[] = [
  { header: 'started', value: (e) => shortTime(e.started_at) },
  { header: 'execution', value: (e) => e.execution_id },
  { header: 'hook', value: (e) => e.hook_id },
  { header: 'type', value: (e) => e.hook_type },
  { header: 'team', value: (e) => e.team_id },
  { header: 'event', value: (e) => e.event_type },
  { header: 'status', value: (e) => e.status },
  { header: 'time', value: (e) => formatDuration(e.execution_time_ms), right: true },
  { header: 'notified', value: (e) => (e.notification_sent ? 'yes' : 'no') },
  { header: 'first error', value: (e) => truncate(errorText(e.errors[0]), 50) },
];

function errorText(error: unknown): string {
  if (error === undefined) return '';
  if (typeof error === 'string') return error.replace(/\s+/g, ' ');
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message.replace(/\s+/g, ' ') : JSON.stringify(error);
}

// One-shot reads and writes: the storage without the server's SQLite threads.
async function withExecutions(globals: GlobalOptions, run: (executions: ExecutionService) => Promise<void>): Promise<void> {
  const runtime = await openRuntime(readConfig(globals), { applicationName: 'hookd-executions', serverThreads: false }, 'executions');
  try {
    await run(runtime.services.executions);
  } finally {
    await runtime.services.close();
  }
}

/** `hookd executions`: one page, newest first, through the API's own service. */
export async function executionsCommand(globals: GlobalOptions, options: ExecutionsOptions): Promise<void> {
  await withExecutions(globals, async (executions) => {
    const { json, ...query } = options;
    const page = await executions.list(query, {});
    if (json) return printJson(page);
    if (page.items.length === 0) process.stdout.write('no executions match\n');
    else printTable(COLUMNS, page.items);
    if (page.next_cursor) process.stdout.write(`more: repeat with --cursor ${page.next_cursor} for the next page\n`);
  });
}

/** `hookd executions show ID`: every field, errors and metadata as JSON. */
export async function executionShowCommand(globals: GlobalOptions, id: string, options: { json?: boolean }): Promise<void> {
  await withExecutions(globals, async (executions) => {
    const e = await executions.get(id, {});
    if (options.json) return printJson(e);
    const line = (label: string, value: string | null) => process.stdout.write(`${label.padEnd(20)}${value ?? '-'}\n`);
    line('execution', e.execution_id);
    line('hook', `${e.hook_id} (${e.hook_type})`);
    line('team', e.team_id);
    line('event', e.event_id ? `${e.event_type} ${e.event_id}` : e.event_type);
    line('ticket / project', [e.ticket_key, e.project_key].filter(Boolean).join(' / ') || null);
    line('status', e.status);
    line('started', e.started_at);
    line('completed', e.completed_at);
    line('execution time', e.execution_time_ms === null ? null : formatDuration(e.execution_time_ms));
    line('notification sent', e.notification_sent ? 'yes' : 'no');
    line('notification result', e.notification_result === null ? null : JSON.stringify(e.notification_result));
    line('errors', e.errors.length ? JSON.stringify(e.errors) : null);
    line('metadata', JSON.stringify(e.metadata));
  });
}
