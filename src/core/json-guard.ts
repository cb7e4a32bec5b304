import { ValidationError } from './app-error.ts';

/**
 * Checks a parsed JSON value before anything walks it recursively (the capture policy,
 * JSON.stringify, a store's serializer): past a few thousand levels those overflow the
 * stack. Iterative, so nothing here can overflow; it stops at the first problem.
 */
export interface JsonProblem {
  /** Path of the offending value: `data.a.b`, `[3].session_id`, `(body)`. */
  field: string;
  message: string;
}

const NUL = '\u0000';

/**
 * The first value nested deeper than `maxDepth` (objects and arrays count a level each),
 * or the first string or key holding NUL, which no storage keeps alike (PostgreSQL refuses
 * it in text and jsonb). Null when there is none.
 */
export function jsonProblem(value: unknown, maxDepth: number, root = ''): JsonProblem | null {
  if (typeof value === 'string') return value.includes(NUL) ? nulAt(root) : null;
  if (typeof value !== 'object' || value === null) return null;
  // Each frame: the container, its keys (arrays: null), the next index, and its path segment.
  const stack: { node: object; keys: string[] | null; next: number; segment: string }[] = [];
  const path = (extra?: string) => {
    const segments = stack.map((f) => f.segment);
    if (extra !== undefined) segments.push(extra);
    return join(root, segments);
  };
  const push = (node: object, segment: string): JsonProblem | null => {
    if (stack.length >= maxDepth) return { field: path(segment) || '(body)', message: `is nested deeper than ${maxDepth} levels` };
    stack.push({ node, keys: Array.isArray(node) ? null : Object.keys(node), next: 0, segment });
    return null;
  };
  const first = push(value, '');
  if (first) return { ...first, field: root || '(body)' };
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const length = frame.keys ? frame.keys.length : (frame.node as unknown[]).length;
    if (frame.next >= length) {
      stack.pop();
      continue;
    }
    const i = frame.next++;
    const key = frame.keys ? frame.keys[i]! : null;
    const segment = key === null ? `[${i}]` : key;
    if (key?.includes(NUL)) return nulAt(path(segment), 'key');
    const child = key === null ? (frame.node as unknown[])[i] : (frame.node as Record<string, unknown>)[key];
    if (typeof child === 'string') {
      if (child.includes(NUL)) return nulAt(path(segment));
    } else if (typeof child === 'object' && child !== null) {
      const problem = push(child, segment);
      if (problem) return problem;
    }
  }
  return null;
}

/**
 * Why a text that names something (an id, a filter, a parameter) cannot be kept alike on
 * every storage, or null: NUL, which PostgreSQL refuses, or a lone surrogate, which has no
 * UTF-8 form, so two ids differing only there would meet as one (U+FFFD).
 */
export function idTextProblem(text: string): string | null {
  if (text.includes(NUL)) return 'contains the NUL character (\\u0000), which hookd refuses on every storage';
  if (!text.isWellFormed()) return 'is not well-formed Unicode (it holds a lone surrogate)';
  return null;
}

/** Throws a 400 naming `field` when `value` is a text idTextProblem refuses. */
export function checkIdText(field: string, value: unknown): void {
  const problem = typeof value === 'string' ? idTextProblem(value) : null;
  if (problem) throw new ValidationError([{ field, message: problem }]);
}

function nulAt(field: string, what = 'value'): JsonProblem {
  return { field: field || '(body)', message: `${what} contains the NUL character (\\u0000), which hookd refuses on every storage` };
}

/** `a.b[2].c` from the segments below the root (the root frame's own segment is empty). */
function join(root: string, segments: string[]): string {
  let out = root;
  for (const s of segments) {
    if (s === '') continue;
    out += s.startsWith('[') ? s : out ? `.${s}` : s;
  }
  return out;
}

// JSON.stringify writes a surrogate without its pair as an escape (`\ud83d`) and never
// escapes a whole pair, so in its output every such escape is a lone surrogate, unless its
// backslash is itself escaped (`\\ud83d` is the text "\ud83d").
const LONE_SURROGATE_ESCAPE = /(?<!\\)((?:\\\\)*)\\ud[89a-f][0-9a-f]{2}/g;

/**
 * JSON text (as JSON.stringify writes it) with every lone surrogate made U+FFFD, as a
 * UTF-8 decoder would: PostgreSQL's jsonb refuses them, and SQLite would keep them, so
 * both storages store the replacement character instead.
 */
export function wellFormedJson(json: string): string {
  return json.includes('\\ud') ? json.replace(LONE_SURROGATE_ESCAPE, '$1\\ufffd') : json;
}

/** A JSON value with every lone surrogate made U+FFFD (see wellFormedJson); the value itself when it has none. */
export function wellFormedValue<T>(value: T): T {
  const json = JSON.stringify(value);
  const fixed = wellFormedJson(json);
  return fixed === json ? value : (JSON.parse(fixed) as T);
}
