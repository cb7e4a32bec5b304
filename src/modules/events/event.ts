import type { EventFacts } from './event-facts.ts';

/** An event as hookd keeps it, ready for a store: validated, defaults applied. */
export interface NormalizedEvent {
  eventId: string;
  sessionId: string;
  eventType: string;
  /** Event time, epoch milliseconds. */
  ts: number;
  receivedAt: number;
  source: string;
  workflowId: string | null;
  phaseId: string | null;
  milestoneId: string | null;
  teamId: string | null;
  taskId: string | null;
  user: string | null;
  host: string | null;
  /** `data` serialised once, as stored (after the capture policy). */
  dataJson: string;
  /**
   * What the event says about its session and tool call, read while `data` is parsed
   * anyway: the derivation passes of this process use it instead of parsing the stored
   * JSON again (other processes' events they read back).
   */
  facts: EventFacts;
}

/** The canonical event on the wire: what the API returns and JSONL export/import holds. */
export interface CanonicalEvent extends StoredColumns {
  timestamp: string;
  received_at: string;
  data: Record<string, unknown>;
}

/** The optional string fields, wire name -> NormalizedEvent name. */
export const OPTIONAL_FIELDS = [
  ['workflow_id', 'workflowId'],
  ['phase_id', 'phaseId'],
  ['milestone_id', 'milestoneId'],
  ['team_id', 'teamId'],
  ['task_id', 'taskId'],
  ['user', 'user'],
  ['host', 'host'],
] as const;

/** The columns both dialects store, in wire names; times and data vary per dialect. */
export interface StoredColumns {
  event_id: string;
  session_id: string;
  event_type: string;
  source: string;
  workflow_id: string | null;
  phase_id: string | null;
  milestone_id: string | null;
  team_id: string | null;
  task_id: string | null;
  user: string | null;
  host: string | null;
}

export function canonicalFromRow(
  row: StoredColumns,
  ts: number | Date,
  receivedAt: number | Date,
  data: Record<string, unknown>,
): CanonicalEvent {
  return {
    event_id: row.event_id,
    session_id: row.session_id,
    event_type: row.event_type,
    timestamp: new Date(ts).toISOString(),
    received_at: new Date(receivedAt).toISOString(),
    source: row.source,
    workflow_id: row.workflow_id,
    phase_id: row.phase_id,
    milestone_id: row.milestone_id,
    team_id: row.team_id,
    task_id: row.task_id,
    user: row.user,
    host: row.host,
    data,
  };
}
