/**
 * Why each rule did or did not fire for one event, node by node: what `hookd rules test`
 * prints. Unlike evaluation it does not stop at the first failing condition of an `and` (or
 * the first match of an `or`): every condition shows its own result. Actual values are
 * previews bounded in size, since event data may hold megabyte strings and deep objects.
 */
import type { CompiledNode, Roots } from './compiled-condition.ts';
import { MISSING } from './field-path.ts';
import type { ValidationProblem } from './problem-list.ts';
import type { Condition, Logic, Operator } from './rule.ts';

export interface ConditionExplanation {
  kind: 'condition';
  field: string;
  operator: Operator;
  /** The condition's value; absent for `exists` without one. */
  expected?: Condition['value'];
  /** False when the path led nowhere ("missing"); `actual` is then absent. */
  found: boolean;
  actual?: unknown;
  matched: boolean;
}

export interface GroupExplanation {
  kind: 'group';
  logic: Logic;
  matched: boolean;
  conditions: NodeExplanation[];
}

export type NodeExplanation = ConditionExplanation | GroupExplanation;

export interface RuleExplanation {
  ruleId: string;
  name: string;
  enabled: boolean;
  /** Whether the event is one of the rule's hook_types (always true without any). */
  hookTypeMatched: boolean;
  /** enabled, hookTypeMatched and conditions.matched: what evaluate returns. */
  fired: boolean;
  /** Null for a rule that did not compile; its problems say why. */
  conditions: GroupExplanation | null;
  problems?: ValidationProblem[];
  /** Set when reading the event failed (a JS-built context whose getter throws). */
  error?: string;
}

export function explainNode(node: CompiledNode, roots: Roots): NodeExplanation {
  if (node.kind === 'group') {
    const conditions = node.children.map((child) => explainNode(child, roots));
    const matched = node.logic === 'and' ? conditions.every((c) => c.matched) : conditions.some((c) => c.matched);
    return { kind: 'group', logic: node.logic, matched, conditions };
  }
  const actual = node.read(roots);
  const found = actual !== MISSING;
  // In reading order: what was asked, what was found, the verdict.
  return {
    kind: 'condition',
    field: node.field,
    operator: node.operator,
    ...(node.value === undefined ? {} : { expected: node.value }),
    found,
    ...(found ? { actual: previewValue(actual) } : {}),
    matched: found ? node.accepts(actual) : node.onMissing,
  };
}

const MAX_PREVIEW_STRING = 200;
const MAX_PREVIEW_ITEMS = 20;
const MAX_PREVIEW_DEPTH = 3;

/**
 * A JSON-safe copy of `value` small enough to print: strings cut at 200 characters, at most
 * 20 items or keys per level and 3 levels, with a note of what was left out.
 */
export function previewValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    return value.length <= MAX_PREVIEW_STRING ? value : `${value.slice(0, MAX_PREVIEW_STRING)}… (${value.length} characters)`;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value !== 'object') return `(${typeof value})`;
  if (Array.isArray(value)) {
    if (depth >= MAX_PREVIEW_DEPTH) return `(array of ${value.length})`;
    const items = value.slice(0, MAX_PREVIEW_ITEMS).map((item) => previewValue(item, depth + 1));
    if (value.length > MAX_PREVIEW_ITEMS) items.push(`… ${value.length - MAX_PREVIEW_ITEMS} more`);
    return items;
  }
  const keys = Object.keys(value);
  if (depth >= MAX_PREVIEW_DEPTH) return `(object of ${keys.length} keys)`;
  const out: Record<string, unknown> = {};
  for (const key of keys.slice(0, MAX_PREVIEW_ITEMS)) {
    // defineProperty: a "__proto__" key of the data must stay a key, not become the prototype.
    Object.defineProperty(out, key, {
      value: previewValue((value as Record<string, unknown>)[key], depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  if (keys.length > MAX_PREVIEW_ITEMS) out['…'] = `${keys.length - MAX_PREVIEW_ITEMS} more keys`;
  return out;
}
