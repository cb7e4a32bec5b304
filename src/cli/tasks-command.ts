import { CLI_PRINCIPAL } from '../modules/tokens/token-service.ts';
import type { RelationshipView, TaskListQuery, TaskView } from '../modules/tasks/task-service.ts';
import type { GlobalOptions } from './cli-config.ts';
import { withServices } from './cli-services.ts';
import { printJson, printTable, shortTime, truncate, type Column } from './output.ts';

const WHAT = 'tasks';

const statusOf = (t: TaskView) => (t.conclusion ? `${t.status}/${t.conclusion}` : t.status);

const COLUMNS: Column<TaskView>[] = [
  { header: 'task', value: (t) => t.task_id },
  { header: 'status', value: statusOf },
  { header: 'priority', value: (t) => String(t.priority) },
  { header: 'title', value: (t) => truncate(t.title, 60) },
  { header: 'assignee', value: (t) => t.assignee ?? t.agent ?? '' },
  { header: 'created', value: (t) => shortTime(t.created_at) },
];

export interface TasksListOptions extends Omit<TaskListQuery, 'min_priority' | 'limit'> {
  minPriority?: number;
  limit?: number;
  json?: boolean;
}

/** `hookd tasks list`: as GET /tasks, a table or `--json`. */
export async function tasksListCommand(globals: GlobalOptions, options: TasksListOptions): Promise<void> {
  const query: TaskListQuery = {};
  for (const key of ['status', 'assignee', 'parent', 'q', 'from', 'to', 'cursor'] as const) {
    if (options[key] !== undefined) query[key] = options[key];
  }
  if (options.minPriority !== undefined) query.min_priority = options.minPriority;
  if (options.limit !== undefined) query.limit = options.limit;
  await withServices(globals, WHAT, async ({ tasks }) => {
    const page = await tasks.list(query, CLI_PRINCIPAL);
    if (options.json) return printJson(page);
    if (page.items.length === 0) process.stdout.write('no tasks match\n');
    else printTable(COLUMNS, page.items);
    if (page.next_cursor) process.stdout.write(`more: repeat with --cursor ${page.next_cursor} for the next page\n`);
  });
}

/** `hookd tasks show ID`: the task, its relationships. */
export async function tasksShowCommand(globals: GlobalOptions, id: string, options: { json?: boolean }): Promise<void> {
  await withServices(globals, WHAT, async ({ tasks }) => {
    const task = await tasks.get(id, CLI_PRINCIPAL);
    const { items } = await tasks.relationships(id, CLI_PRINCIPAL);
    if (options.json) return printJson({ ...task, relationships: items });
    const line = (label: string, value: string | number | null) => process.stdout.write(`${label.padEnd(14)}${value ?? '-'}\n`);
    line('task', task.task_id);
    line('title', task.title);
    line('status', statusOf(task));
    line('priority', task.priority);
    line('assignee', task.assignee);
    line('agent', task.agent);
    line('parent', task.parent_task_id);
    line('team', task.team_id);
    line('created', shortTime(task.created_at));
    if (task.started_at) line('started', shortTime(task.started_at));
    if (task.completed_at) line('completed', shortTime(task.completed_at));
    if (task.description) process.stdout.write(`\n${task.description}\n`);
    for (const [label, list] of [
      ['requirements', task.requirements],
      ['acceptance', task.acceptance_criteria],
    ] as const) {
      if (list.length > 0) process.stdout.write(`\n${label}:\n${list.map((r) => `  - ${r}`).join('\n')}\n`);
    }
    if (items.length > 0) process.stdout.write(`\nrelationships:\n${items.map(relationshipLine).join('\n')}\n`);
  });
}

const relationshipLine = (r: RelationshipView) =>
  `  ${r.from_task_id} ${r.kind} ${r.to_task_id}${r.strength === 1 ? '' : ` (strength ${r.strength})`}`;

export interface TaskWriteOptions {
  title?: string;
  description?: string;
  priority?: number;
  assignee?: string;
  agent?: string;
  parent?: string;
  status?: string;
  conclusion?: string;
  team?: string;
  json?: boolean;
}

function fieldsOf(options: TaskWriteOptions): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (options.title !== undefined) fields.title = options.title;
  if (options.description !== undefined) fields.description = options.description;
  if (options.priority !== undefined) fields.priority = options.priority;
  if (options.assignee !== undefined) fields.assignee = options.assignee;
  if (options.agent !== undefined) fields.agent = options.agent;
  if (options.parent !== undefined) fields.parent_task_id = options.parent;
  if (options.status !== undefined) fields.status = options.status;
  if (options.conclusion !== undefined) fields.conclusion = options.conclusion;
  return fields;
}

/** `hookd tasks create [ID] --title T`: as POST /tasks. */
export async function tasksCreateCommand(globals: GlobalOptions, id: string | undefined, options: TaskWriteOptions): Promise<void> {
  await withServices(
    globals,
    WHAT,
    async ({ tasks }) => {
      const input = {
        ...fieldsOf(options),
        title: options.title ?? '',
        ...(id !== undefined ? { task_id: id } : {}),
        ...(options.team !== undefined ? { team_id: options.team } : {}),
      };
      const task = await tasks.create(input as Parameters<typeof tasks.create>[0], CLI_PRINCIPAL);
      if (options.json) return printJson(task);
      process.stdout.write(`created task ${task.task_id} (${statusOf(task)})\n`);
    },
    true,
  );
}

/** `hookd tasks update ID --status in_progress`: as PATCH /tasks/{id}. */
export async function tasksUpdateCommand(globals: GlobalOptions, id: string, options: TaskWriteOptions): Promise<void> {
  await withServices(globals, WHAT, async ({ tasks }) => {
    const task = await tasks.update(id, fieldsOf(options), CLI_PRINCIPAL);
    if (options.json) return printJson(task);
    process.stdout.write(`updated task ${task.task_id} (${statusOf(task)})\n`);
  });
}

/** `hookd tasks link FROM KIND TO [--strength S]`: as POST /tasks/{id}/relationships. */
export async function tasksLinkCommand(
  globals: GlobalOptions,
  from: string,
  kind: string,
  to: string,
  options: { strength?: number; json?: boolean },
): Promise<void> {
  await withServices(globals, WHAT, async ({ tasks }) => {
    const link = await tasks.link(
      from,
      { to_task_id: to, kind, ...(options.strength !== undefined ? { strength: options.strength } : {}) },
      CLI_PRINCIPAL,
    );
    if (options.json) return printJson(link);
    process.stdout.write(`linked:${relationshipLine(link).slice(1)}\n`);
  });
}

/**
 * `hookd tasks graph ID [--depth N]`: the dependency tree in the terminal, the task at the
 * root, each edge indented under the task it starts from (a task met again is marked, not
 * walked twice).
 */
export async function tasksGraphCommand(globals: GlobalOptions, id: string, options: { depth?: number; json?: boolean }): Promise<void> {
  await withServices(globals, WHAT, async ({ tasks }) => {
    const graph = await tasks.graph(id, options.depth ?? 3, CLI_PRINCIPAL);
    if (options.json) return printJson(graph);
    const byId = new Map(graph.nodes.map((n) => [n.task_id, n]));
    const label = (taskId: string) => {
      const node = byId.get(taskId);
      return node ? `${taskId} [${statusOf(node)}] ${truncate(node.title, 50)}` : taskId;
    };
    const lines = [label(id)];
    const seen = new Set([id]);
    const walk = (taskId: string, indent: string) => {
      const edges = graph.edges.filter((e) => e.from_task_id === taskId || e.to_task_id === taskId);
      for (const edge of edges) {
        const outward = edge.from_task_id === taskId;
        const other = outward ? edge.to_task_id : edge.from_task_id;
        const verb = outward ? edge.kind : `${edge.kind} (by)`;
        if (seen.has(other)) {
          if (outward) lines.push(`${indent}└ ${verb} ${other} (above)`);
          continue;
        }
        seen.add(other);
        lines.push(`${indent}└ ${verb} ${label(other)}`);
        walk(other, `${indent}  `);
      }
    };
    walk(id, '  ');
    process.stdout.write(`${lines.join('\n')}\n`);
  });
}
