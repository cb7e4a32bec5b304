import { canonicalFromRow, type CanonicalEvent, type StoredColumns } from './event.ts';

/** An events row as pg returns it (int8 as number, see postgres-connection.ts). */
export interface EventRow extends StoredColumns {
  id: number;
  ts: Date;
  received_at: Date;
  data: Record<string, unknown>;
}

export const COLUMNS =
  'id, event_id, session_id, event_type, ts, received_at, source, workflow_id, phase_id, milestone_id, team_id, task_id, "user", host, data';

export function toEvent(row: EventRow): CanonicalEvent {
  return canonicalFromRow(row, row.ts, row.received_at, row.data);
}
