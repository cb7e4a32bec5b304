import type { NormalizedEvent } from './event.ts';
import type { GroupOutcome } from './session-owners.ts';
import { FACT_KEYS, type AgentRun, type EventFacts, type UsageFacts } from './event-facts.ts';

// AgentRun and UsageFacts: the facts that are objects, set only on finished Agent/Task
// calls and on usage events.
type Field = string | number | boolean | null | AgentRun | UsageFacts;

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
  /** Per group: its writer is bound to its team (session-owners.ts); absent = none is. */
  teamBound?: readonly boolean[];
}

// The facts travel as fields too (after the event's 14, in FACT_KEYS order), so the write
// thread's derivation passes need not parse the stored JSON again.
const EVENT_FIELDS = 14;
export const FIELDS_PER_EVENT = EVENT_FIELDS + FACT_KEYS.length;

export function flatten(groups: readonly (readonly NormalizedEvent[])[], teamBound?: readonly boolean[]): WriteRequest {
  const sizes: number[] = [];
  const fields: Field[] = [];
  for (const group of groups) {
    sizes.push(group.length);
    for (const e of group) {
      fields.push(
        e.eventId,
        e.sessionId,
        e.eventType,
        e.ts,
        e.receivedAt,
        e.source,
        e.workflowId,
        e.phaseId,
        e.milestoneId,
        e.teamId,
        e.taskId,
        e.user,
        e.host,
        e.dataJson,
      );
      const f = e.facts;
      for (const key of FACT_KEYS) fields.push(f[key]);
    }
  }
  return teamBound?.some(Boolean) ? { id: 0, sizes, fields, teamBound } : { id: 0, sizes, fields };
}

export function unflatten(request: WriteRequest): NormalizedEvent[][] {
  const f = request.fields;
  let i = 0;
  return request.sizes.map((size) => {
    const group: NormalizedEvent[] = new Array(size);
    for (let k = 0; k < size; k++, i += FIELDS_PER_EVENT) {
      group[k] = {
        eventId: f[i] as string,
        sessionId: f[i + 1] as string,
        eventType: f[i + 2] as string,
        ts: f[i + 3] as number,
        receivedAt: f[i + 4] as number,
        source: f[i + 5] as string,
        workflowId: f[i + 6] as string | null,
        phaseId: f[i + 7] as string | null,
        milestoneId: f[i + 8] as string | null,
        teamId: f[i + 9] as string | null,
        taskId: f[i + 10] as string | null,
        user: f[i + 11] as string | null,
        host: f[i + 12] as string | null,
        dataJson: f[i + 13] as string,
        facts: factsAt(f, i + EVENT_FIELDS),
      };
    }
    return group;
  });
}

function factsAt(fields: readonly Field[], at: number): EventFacts {
  const facts: Record<string, Field> = {};
  for (let k = 0; k < FACT_KEYS.length; k++) facts[FACT_KEYS[k]!] = fields[at + k]!;
  return facts as unknown as EventFacts;
}

/** Not a write: derive everything committed so far, then reply (see session-deriver.ts). */
export interface CatchUpRequest {
  id: number;
  catchUp: true;
}

/**
 * The team rules, which run on the write thread too (rule-runner.ts): one pass, a catch-up
 * bounded by `withinMs`, or the background loop started every `intervalMs` / stopped.
 */
export type RulesRequest =
  | { id: number; rules: 'pass' }
  | { id: number; rules: 'catchUp'; withinMs: number }
  | { id: number; rules: 'start'; intervalMs: number }
  | { id: number; rules: 'stop' };

export type ThreadRequest = WriteRequest | CatchUpRequest | RulesRequest;

/**
 * A catch-up's and a rules request's success carry no duplicates; a pass's says how many
 * events it covered. Id 0 reports a failed background pass: `background` says which.
 */
export type WriteReply =
  | { id: number; duplicates: GroupOutcome[]; covered?: number }
  | { id: number; error: { code?: string; message: string }; background?: 'derivation' | 'rules' }
  | { id: 0; fromOtherWriters: number }
  | { id: 0; notifications: number };
