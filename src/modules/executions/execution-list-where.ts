import type { ExecutionFilter } from './execution.ts';

/** The WHERE of a list, `?` placeholders; times as epoch ms (the PostgreSQL store converts). */
export function executionListWhere(filter: ExecutionFilter, time = '?'): { where: string; values: unknown[] } {
  const where: string[] = [];
  const values: unknown[] = [];
  const eq = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    where.push(`${column} = ?`);
    values.push(value);
  };
  eq('hook_id', filter.hookId);
  eq('hook_type', filter.hookType);
  eq('team_id', filter.teamId);
  eq('status', filter.status);
  eq('event_type', filter.eventType);
  if (filter.from !== undefined) {
    where.push(`started_at >= ${time}`);
    values.push(filter.from);
  }
  if (filter.to !== undefined) {
    where.push(`started_at < ${time}`);
    values.push(filter.to);
  }
  if (filter.after) {
    where.push(`(started_at < ${time} OR (started_at = ${time} AND execution_id < ?))`);
    values.push(filter.after.at, filter.after.at, filter.after.id);
  }
  return { where: where.length ? `WHERE ${where.join(' AND ')}` : '', values };
}
