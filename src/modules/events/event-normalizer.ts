import type { Limits } from '../../core/config.ts';
import type { FieldProblem } from '../../core/app-error.ts';
import { idTextProblem, jsonProblem, wellFormedJson } from '../../core/json-guard.ts';
import { uuidv7 } from '../../core/uuidv7.ts';
import { keptByCapturePolicy } from '../capture/capture-policy.ts';
import { factsOf } from './event-facts.ts';
import { OPTIONAL_FIELDS, type NormalizedEvent } from './event.ts';

/** Events may not be dated before this (2000-01-01T00:00:00Z); see docs/security.md, "Bad input". */
export const EARLIEST_EVENT_MS = Date.UTC(2000, 0, 1);

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

export interface NormalizeContext {
  receivedAt: number;
  limits: Limits;
  /** Prefix for field paths, e.g. `[3]` inside a batch. */
  path: string;
  index?: number;
}

export type NormalizeResult = { ok: true; event: NormalizedEvent } | { ok: false; problems: FieldProblem[]; tooLarge?: boolean };

/**
 * The one validator of incoming events, shared by HTTP ingest, import and emit.
 * Unknown top-level fields are ignored; every problem found is reported, not just the first.
 */
export function normalizeEvent(raw: unknown, ctx: NormalizeContext): NormalizeResult {
  const problems: FieldProblem[] = [];
  const at = (field: string) => (ctx.path ? `${ctx.path}.${field}` : field);
  const fail = (field: string, message: string) => {
    const problem: FieldProblem = { field: at(field), message };
    if (ctx.index !== undefined) problem.index = ctx.index;
    problems.push(problem);
  };

  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    fail('', 'an event must be a JSON object');
    problems[0]!.field = ctx.path || '(body)';
    return { ok: false, problems };
  }
  const body = raw as Record<string, unknown>;

  const eventType = requiredString(body.event_type, 'event_type', 100, fail);
  const sessionId = requiredString(body.session_id, 'session_id', 255, fail);
  let eventId = optionalString(body.event_id, 'event_id', 255, fail);
  const source = optionalString(body.source, 'source', 100, fail) ?? 'unknown';
  const optional: Record<string, string | null> = {};
  for (const [wire, name] of OPTIONAL_FIELDS) optional[name] = optionalString(body[wire], wire, 255, fail);

  const ts = eventTime(body.timestamp, ctx, fail);

  let dataJson = '{}';
  const data = body.data;
  let stored: Record<string, unknown> = EMPTY;
  if (data !== undefined && data !== null) {
    if (typeof data !== 'object' || Array.isArray(data)) {
      fail('data', 'must be a JSON object');
    } else {
      // Depth and NUL first, without recursion: the capture policy and JSON.stringify below
      // walk recursively and would overflow the stack on a payload thousands of levels deep.
      const problem = jsonProblem(data, ctx.limits.maxDataDepth, 'data');
      if (problem) fail(problem.field, problem.message);
      else {
        // Before validation of the size, so that what is checked is what is stored, and a
        // huge tool_response is cut instead of refused.
        stored = keptByCapturePolicy(data as Record<string, unknown>, ctx.limits.capture);
        // A lone surrogate (tool output cut inside an emoji) is stored as U+FFFD on both storages.
        dataJson = wellFormedJson(JSON.stringify(stored));
      }
    }
  }

  if (problems.length > 0) return { ok: false, problems };

  // A UTF-16 unit is at most 3 UTF-8 bytes: count bytes exactly only near the limit.
  const roughBytes = dataJson.length * 3 + 1024;
  if (roughBytes > ctx.limits.maxEventBytes && Buffer.byteLength(dataJson) + 1024 > ctx.limits.maxEventBytes) {
    fail('data', `event is larger than the limit of ${ctx.limits.maxEventBytes} bytes`);
    return { ok: false, problems, tooLarge: true };
  }

  eventId ??= uuidv7(ctx.receivedAt);
  return {
    ok: true,
    event: {
      eventId,
      sessionId: sessionId!,
      eventType: eventType!,
      ts: ts ?? ctx.receivedAt,
      receivedAt: ctx.receivedAt,
      source,
      workflowId: optional.workflowId ?? null,
      phaseId: optional.phaseId ?? null,
      milestoneId: optional.milestoneId ?? null,
      teamId: optional.teamId ?? null,
      taskId: optional.taskId ?? null,
      user: optional.user ?? null,
      host: optional.host ?? null,
      dataJson,
      facts: factsOf(eventType!, stored, optional.taskId ?? null),
    },
  };
}

const EMPTY: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

type Fail = (field: string, message: string) => void;

function requiredString(value: unknown, field: string, max: number, fail: Fail): string | undefined {
  if (value === undefined || value === null) {
    fail(field, 'is required');
    return undefined;
  }
  return checkString(value, field, max, fail);
}

function optionalString(value: unknown, field: string, max: number, fail: Fail): string | null {
  if (value === undefined || value === null) return null;
  return checkString(value, field, max, fail) ?? null;
}

function checkString(value: unknown, field: string, max: number, fail: Fail): string | undefined {
  if (typeof value !== 'string') {
    fail(field, `must be a string (got ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value})`);
    return undefined;
  }
  if (value.length === 0 || value.length > max) {
    fail(field, `must be 1-${max} characters (got ${value.length})`);
    return undefined;
  }
  const problem = idTextProblem(value);
  if (problem) {
    fail(field, problem);
    return undefined;
  }
  return value;
}

function eventTime(value: unknown, ctx: NormalizeContext, fail: Fail): number | undefined {
  if (value === undefined || value === null) return undefined;
  let ms: number;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      fail('timestamp', 'must be an ISO-8601 string or epoch milliseconds');
      return undefined;
    }
    ms = Math.trunc(value);
  } else if (typeof value === 'string') {
    const match = ISO_8601.exec(value);
    if (!match) {
      fail('timestamp', `must be an ISO-8601 date-time or epoch milliseconds (got "${value.slice(0, 40)}")`);
      return undefined;
    }
    // A time without an offset is read as UTC, never as the server's local time.
    ms = Date.parse(match[4] !== undefined && match[8] === undefined ? `${value}Z` : value);
    if (Number.isNaN(ms)) {
      fail('timestamp', `is not a valid date-time ("${value.slice(0, 40)}")`);
      return undefined;
    }
  } else {
    fail('timestamp', 'must be an ISO-8601 string or epoch milliseconds');
    return undefined;
  }
  if (ms < EARLIEST_EVENT_MS) {
    fail('timestamp', 'is before 2000-01-01T00:00:00Z, the earliest event time hookd accepts');
    return undefined;
  }
  if (ms > ctx.receivedAt + ctx.limits.maxFutureSkewMs) {
    fail('timestamp', `is more than ${ctx.limits.maxFutureSkewMs} ms in the future (HOOKD_MAX_FUTURE_SKEW_MS)`);
    return undefined;
  }
  return ms;
}
