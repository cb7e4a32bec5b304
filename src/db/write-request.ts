import type { NormalizedEvent } from '../modules/events/event.ts';

type Field = string | number | null;

/** Messages between the main thread and the SQLite write thread. */
export interface WriteRequest {
  id: number;
  /** Events per group, in order. */
  sizes: number[];
  /**
   * The events' fields, FIELDS_PER_EVENT per event in NormalizedEvent order: a flat array
   * of strings and numbers is several times cheaper to copy between threads than objects.
   */
  fields: Field[];
}

export const FIELDS_PER_EVENT = 14;

export function flatten(groups: readonly (readonly NormalizedEvent[])[]): WriteRequest {
  const sizes: number[] = [];
  const fields: Field[] = [];
  for (const group of groups) {
    sizes.push(group.length);
    for (const e of group) {
      fields.push(e.eventId, e.sessionId, e.eventType, e.ts, e.receivedAt, e.source, e.workflowId, e.phaseId,
        e.milestoneId, e.teamId, e.taskId, e.user, e.host, e.dataJson);
    }
  }
  return { id: 0, sizes, fields };
}

export function unflatten(request: WriteRequest): NormalizedEvent[][] {
  const f = request.fields;
  let i = 0;
  return request.sizes.map((size) => {
    const group: NormalizedEvent[] = new Array(size);
    for (let k = 0; k < size; k++, i += FIELDS_PER_EVENT) {
      group[k] = {
        eventId: f[i] as string, sessionId: f[i + 1] as string, eventType: f[i + 2] as string,
        ts: f[i + 3] as number, receivedAt: f[i + 4] as number, source: f[i + 5] as string,
        workflowId: f[i + 6] as string | null, phaseId: f[i + 7] as string | null,
        milestoneId: f[i + 8] as string | null, teamId: f[i + 9] as string | null, taskId: f[i + 10] as string | null,
        user: f[i + 11] as string | null, host: f[i + 12] as string | null, dataJson: f[i + 13] as string,
      };
    }
    return group;
  });
}

/** Not a write: derive everything committed so far, then reply (see session-deriver.ts). */
export interface CatchUpRequest {
  id: number;
  catchUp: true;
}

export type ThreadRequest = WriteRequest | CatchUpRequest;

/** A catch-up's success carries no duplicates. */
export type WriteReply = { id: number; duplicates: number[] } | { id: number; error: { code?: string; message: string } };
