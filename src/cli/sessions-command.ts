import type { Session, ToolUse } from '../modules/sessions/session.ts';
import type { Subagent } from '../modules/sessions/subagent-tree.ts';
import type { SessionOperationService } from '../modules/sessions/session-operation-service.ts';
import type { SessionQuery, SessionService } from '../modules/sessions/session-service.ts';
import { openRuntime, type Runtime } from '../runtime/runtime.ts';
import type { Services } from '../runtime/services.ts';
import { readConfig, type GlobalOptions } from './cli-config.ts';
import { printJson, printTable, shortTime, truncate, type Column } from './output.ts';

export interface SessionsOptions {
  status?: SessionQuery['status'];
  project?: string;
  source?: string;
  limit?: number;
  cursor?: string;
  json?: boolean;
}

const SESSION_COLUMNS: Column<Session>[] = [
  { header: 'last activity', value: (s) => shortTime(s.last_activity_at) },
  { header: 'session', value: (s) => s.session_id },
  { header: 'status', value: (s) => (s.end_reason ? `${s.status} (${s.end_reason})` : s.status) },
  { header: 'project', value: (s) => s.project ?? '' },
  { header: 'source', value: (s) => s.source },
  { header: 'prompts', value: (s) => String(s.prompts) },
  { header: 'tools', value: (s) => String(s.tool_calls) },
  { header: 'failed', value: (s) => String(s.failures) },
  { header: 'events', value: (s) => String(s.events) },
];

const TOOL_COLUMNS: Column<ToolUse>[] = [
  { header: 'started', value: (u) => (u.started_at ? shortTime(u.started_at) : '') },
  { header: 'tool', value: (u) => (u.agent_type ? `${u.tool_name} [${u.agent_type}]` : u.tool_name) },
  { header: 'status', value: (u) => u.status },
  { header: 'ms', value: (u) => (u.duration_ms === null ? '' : String(u.duration_ms)) },
  { header: 'input', value: (u) => truncate(u.input_summary ?? '', 60) },
  { header: 'error', value: (u) => truncate((u.error ?? '').replace(/\s+/g, ' '), 50) },
];

async function withServices<T>(globals: GlobalOptions, name: string, run: (services: Services) => Promise<T>): Promise<T> {
  const runtime: Runtime = await openRuntime(readConfig(globals), { applicationName: name }, 'sessions');
  try {
    return await run(runtime.services);
  } finally {
    await runtime.services.close();
  }
}

const withSessions = <T>(globals: GlobalOptions, name: string, run: (sessions: SessionService) => Promise<T>): Promise<T> =>
  withServices(globals, name, (services) => run(services.sessions));

const withOperations = <T>(globals: GlobalOptions, name: string, run: (ops: SessionOperationService) => Promise<T>): Promise<T> =>
  withServices(globals, name, (services) => run(services.sessionOps));

/** `hookd sessions`: one page, most recently active first, through the API's own service. */
export async function sessionsCommand(globals: GlobalOptions, options: SessionsOptions): Promise<void> {
  await withSessions(globals, 'hookd-sessions', async (sessions) => {
    const query: SessionQuery = { limit: options.limit ?? 50 };
    for (const key of ['status', 'project', 'source', 'cursor'] as const)
      if (options[key] !== undefined) Object.assign(query, { [key]: options[key] });
    const page = await sessions.list(query, {});
    if (options.json) return printJson(page);
    if (page.items.length === 0) process.stdout.write('no sessions match\n');
    else printTable(SESSION_COLUMNS, page.items);
    if (page.next_cursor) process.stdout.write(`more: repeat with --cursor ${page.next_cursor} for the next page\n`);
  });
}

/** `hookd sessions show ID`: the session, its tool calls in order, and its newest events. */
export async function sessionShowCommand(globals: GlobalOptions, id: string, options: { json?: boolean }): Promise<void> {
  await withSessions(globals, 'hookd-sessions', async (sessions) => {
    const s = await sessions.get(id, {});
    if (options.json) return printJson(s);
    const line = (label: string, value: string | number | null) => process.stdout.write(`${label.padEnd(14)}${value ?? '-'}\n`);
    line('session', s.session_id);
    line('status', s.end_reason ? `${s.status} (${s.end_reason})` : s.idle_since ? `idle since ${shortTime(s.idle_since)}` : s.status);
    line('project', s.project);
    line('cwd', s.cwd);
    line('git branch', s.git_branch);
    line('model', s.model);
    line('source', s.source);
    line('started', shortTime(s.started_at));
    line('last activity', shortTime(s.last_activity_at));
    if (s.ended_at) line('ended', shortTime(s.ended_at));
    line('counts', `${s.events} events, ${s.prompts} prompts, ${s.tool_calls} tool calls (${s.failures} failed), ${s.subagents} subagents`);
    if (s.permission_denials > 0 || s.stop_failures > 0)
      line('failures', `${s.permission_denials} denied by the auto mode, ${s.stop_failures} turns ended in an API error`);
    if (s.error_kind) line('turn error', `${s.error_kind}${s.error_message ? `: ${truncate(s.error_message, 100)}` : ''}`);
    for (const row of subagentLines(s.agents)) line('subagent', row);
    process.stdout.write('\n');
    if (s.tool_uses.length === 0) process.stdout.write('no tool calls\n');
    else printTable(TOOL_COLUMNS, s.tool_uses);
  });
}

/**
 * `hookd sessions end ID`: the same operation as POST /sessions/{id}/end, through the same
 * service (an event of source api, so a rebuild keeps it), with the local user's full rights.
 */
export async function sessionEndCommand(globals: GlobalOptions, id: string, options: { reason: string; json?: boolean }): Promise<void> {
  await withOperations(globals, 'hookd-sessions', async (ops) => {
    const s = await ops.end(id, options.reason, {});
    if (options.json) return printJson(s);
    process.stdout.write(`ended ${s.session_id} (${s.end_reason}) at ${shortTime(s.ended_at)}\n`);
  });
}

/** `hookd sessions delete ID`: the session, its tool uses and all its events, in one transaction. */
export async function sessionDeleteCommand(globals: GlobalOptions, id: string): Promise<void> {
  await withOperations(globals, 'hookd-sessions', async (ops) => {
    await ops.delete(id, {});
    process.stdout.write(`deleted ${id} with its tool uses and events\n`);
  });
}

/** The subagent tree, one line each, indented under the agent whose call started it. */
function subagentLines(agents: readonly Subagent[]): string[] {
  const lines: string[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const a of agents.filter((x) => x.parent_agent_id === parent)) {
      const tokens = a.total_tokens === null ? '' : `, ${a.total_tokens} tokens`;
      const model = a.model ? `, ${a.model}` : '';
      const call = a.tool_use_id ? ` (call ${a.tool_use_id})` : '';
      lines.push(
        `${'  '.repeat(depth)}${a.agent_type ?? '?'} ${a.agent_id}: ${a.status}, ${a.tool_calls} tool calls${tokens}${model}${call}`,
      );
      if (depth < 10) walk(a.agent_id, depth + 1);
    }
  };
  walk(null, 0);
  return lines;
}
