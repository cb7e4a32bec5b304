import { canonicalFromRow, type CanonicalEvent, type StoredColumns } from './event.ts';

/** An events row as better-sqlite3 returns it: times in epoch ms, data as JSON text. */
export interface EventRow extends StoredColumns {
  id: number;
  ts: number;
  received_at: number;
  data: string;
}

export const EVENT_COLUMNS = [
  'id',
  'event_id',
  'session_id',
  'event_type',
  'ts',
  'received_at',
  'source',
  'workflow_id',
  'phase_id',
  'milestone_id',
  'team_id',
  'task_id',
  'user',
  'host',
  'data',
] as const;
export const COLUMNS = EVENT_COLUMNS.join(', ');

export function toEvent(row: EventRow): CanonicalEvent {
  return canonicalFromRow(row, row.ts, row.received_at, JSON.parse(row.data) as Record<string, unknown>);
}
