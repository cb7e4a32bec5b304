/**
 * Field paths of rule conditions: `event.<field>...`, `data.<field>...` (short for
 * `event.data.<field>...`) or `session.<field>...`, split on dots. A segment of decimal digits
 * also indexes an array (`data.tool_input.edits.0.old_string`).
 *
 * Lookups read own properties only (Object.hasOwn), so no path reaches Object.prototype or a
 * class's methods whatever the data holds; `__proto__`, `prototype` and `constructor` are refused
 * up front all the same, so that a rule never reads as if it could.
 */
import { MAX_FIELD_LENGTH, MAX_FIELD_SEGMENTS } from './rule.ts';

export const FIELD_ROOTS = ['event', 'data', 'session'] as const;
export type FieldRoot = 'event' | 'session';

const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor']);
// Array indices as JSON has them: no sign, no leading zero, and small enough to be exact.
const INDEX = /^(?:0|[1-9][0-9]{0,8})$/;

export interface FieldPath {
  root: FieldRoot;
  /** Property names below the root; `data.x` is ['data', 'x'] below `event`. */
  segments: readonly string[];
  /** Per segment, the array index it names, or -1 when it cannot index an array. */
  indices: readonly number[];
}

export type FieldPathResult = { ok: true; path: FieldPath } | { ok: false; message: string };

export function parseFieldPath(field: string): FieldPathResult {
  if (field.length > MAX_FIELD_LENGTH) return { ok: false, message: `a field path has at most ${MAX_FIELD_LENGTH} characters` };
  const parts = field.split('.');
  if (parts.length > MAX_FIELD_SEGMENTS + 1)
    return { ok: false, message: `a field path has at most ${MAX_FIELD_SEGMENTS} segments below its root` };
  const head = parts[0]!;
  if (!(FIELD_ROOTS as readonly string[]).includes(head)) {
    return { ok: false, message: `a field path starts with ${FIELD_ROOTS.join(', ')}, not "${head.slice(0, 60)}"` };
  }
  if (parts.length === 1)
    return { ok: false, message: `"${head}" needs a field below it, e.g. ${head}.${head === 'session' ? 'project' : 'tool_name'}` };
  for (const part of parts) {
    if (part === '') return { ok: false, message: 'a field path has no empty segments (leading, trailing or double dots)' };
    if (FORBIDDEN_SEGMENTS.has(part)) return { ok: false, message: `"${part}" is not allowed in a field path` };
  }
  const segments = head === 'data' ? parts : parts.slice(1);
  return {
    ok: true,
    path: {
      root: head === 'session' ? 'session' : 'event',
      segments,
      indices: segments.map((s) => (INDEX.test(s) ? Number(s) : -1)),
    },
  };
}

/** Returned by lookupField for a path that does not resolve; never a value data can hold. */
export const MISSING: unique symbol = Symbol('missing');

/**
 * The value at `path` below `root`, or MISSING: when a step meets something that is not an
 * object or array, a property that is not its own, an index out of range, or `undefined`.
 * Arrays are only indexed: `length` and other names on an array are MISSING.
 */
export function lookupField(root: unknown, segments: readonly string[], indices: readonly number[]): unknown {
  let current = root;
  for (let i = 0; i < segments.length; i++) {
    if (typeof current !== 'object' || current === null) return MISSING;
    if (Array.isArray(current)) {
      const index = indices[i]!;
      if (index < 0 || index >= current.length) return MISSING;
      current = current[index];
    } else {
      const key = segments[i]!;
      if (!Object.hasOwn(current, key)) return MISSING;
      current = (current as Record<string, unknown>)[key];
    }
  }
  return current === undefined ? MISSING : current;
}
