import { SqlWhere } from '../../db/sql-where.ts';
import type { ExecutionFilter } from './execution.ts';

/** The WHERE of a list, `?` placeholders; times as epoch ms (the PostgreSQL store converts). */
export function executionListWhere(filter: ExecutionFilter, time = '?'): { where: string; values: unknown[] } {
  const where = new SqlWhere()
    .eq('hook_id', filter.hookId)
    .eq('hook_type', filter.hookType)
    .eq('team_id', filter.teamId)
    .eq('status', filter.status)
    .eq('event_type', filter.eventType);
  if (filter.from !== undefined) where.add(`started_at >= ${time}`, filter.from);
  if (filter.to !== undefined) where.add(`started_at < ${time}`, filter.to);
  if (filter.after) {
    where.add(`(started_at < ${time} OR (started_at = ${time} AND execution_id < ?))`, filter.after.at, filter.after.at, filter.after.id);
  }
  return { where: where.toString(), values: where.values };
}
