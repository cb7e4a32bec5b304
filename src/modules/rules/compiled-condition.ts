/**
 * One condition tree compiled into closures: paths split, regexes built and in/not_in lists
 * turned into Sets once per configuration revision, so that evaluating an event only walks
 * properties and compares. The semantics are documented at the top of rule-compiler.ts; this
 * file must keep to them (the property tests compare it with a plain interpreter).
 */
import { lookupField, MISSING, parseFieldPath, type FieldRoot } from './field-path.ts';
import { compileRuleRegex } from './rule-regex.ts';
import { isConditionGroup, type Condition, type ConditionNode, type ConditionScalar, type Logic, type Operator } from './rule.ts';

/** The two roots a path starts from, read once per evaluation. */
export interface Roots {
  event: unknown;
  session: unknown;
}

export type Test = (roots: Roots) => boolean;

export interface CompiledCondition {
  kind: 'condition';
  field: string;
  operator: Operator;
  value: Condition['value'];
  /** The value at `field`, or MISSING. */
  read(roots: Roots): unknown;
  /** Whether a found value matches; a missing one matches only `exists: false`. */
  accepts(actual: unknown): boolean;
  onMissing: boolean;
  test: Test;
}

export interface CompiledGroup {
  kind: 'group';
  logic: Logic;
  children: CompiledNode[];
  test: Test;
}

export type CompiledNode = CompiledCondition | CompiledGroup;

/** Compiles a node that passed validateRule; throws on anything else (see compileRules). */
export function compileNode(node: ConditionNode): CompiledNode {
  if (isConditionGroup(node)) return compileGroup(node.logic, node.conditions.map(compileNode));
  return compileCondition(node);
}

function compileGroup(logic: Logic, children: CompiledNode[]): CompiledGroup {
  const tests = children.map((c) => c.test);
  let test: Test;
  if (tests.length === 1) test = tests[0]!;
  else if (logic === 'and') {
    test = (roots) => {
      for (let i = 0; i < tests.length; i++) if (!tests[i]!(roots)) return false;
      return true;
    };
  } else {
    test = (roots) => {
      for (let i = 0; i < tests.length; i++) if (tests[i]!(roots)) return true;
      return false;
    };
  }
  return { kind: 'group', logic, children, test };
}

function compileCondition(condition: Condition): CompiledCondition {
  const parsed = parseFieldPath(condition.field);
  if (!parsed.ok) throw new Error(parsed.message);
  const { root, segments, indices } = parsed.path;
  const read = reader(root, segments, indices);
  const accepts = predicate(condition.operator, condition.value);
  const onMissing = condition.operator === 'exists' && condition.value === false;
  const test: Test = (roots) => {
    const actual = read(roots);
    return actual === MISSING ? onMissing : accepts(actual);
  };
  return {
    kind: 'condition',
    field: condition.field,
    operator: condition.operator,
    value: condition.value,
    read,
    accepts,
    onMissing,
    test,
  };
}

// Paths of one or two segments (`data.tool_name`, `session.project`) are most of them: reading
// them without the loop is measurably faster.
function reader(root: FieldRoot, segments: readonly string[], indices: readonly number[]): (roots: Roots) => unknown {
  const pick = root === 'event' ? (r: Roots) => r.event : (r: Roots) => r.session;
  if (segments.length === 1 && indices[0]! < 0) {
    const key = segments[0]!;
    return (roots) => ownValue(pick(roots), key);
  }
  if (segments.length === 2 && indices[0]! < 0 && indices[1]! < 0) {
    const [first, second] = segments as [string, string];
    return (roots) => {
      const parent = ownValue(pick(roots), first);
      return parent === MISSING ? MISSING : ownValue(parent, second);
    };
  }
  return (roots) => lookupField(pick(roots), segments, indices);
}

/** An object's own property by a name that is not an index (arrays have no such values). */
function ownValue(from: unknown, key: string): unknown {
  if (typeof from !== 'object' || from === null || Array.isArray(from) || !Object.hasOwn(from, key)) return MISSING;
  const value = (from as Record<string, unknown>)[key];
  return value === undefined ? MISSING : value;
}

const isScalar = (v: unknown): v is ConditionScalar =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** Whether a value that was found satisfies `operator value`. */
function predicate(operator: Operator, value: Condition['value']): (actual: unknown) => boolean {
  switch (operator) {
    case 'equals':
      return (a) => a === value;
    case 'not_equals':
      return (a) => a !== value;
    case 'contains':
      if (typeof value === 'string') return (a) => (typeof a === 'string' ? a.includes(value) : Array.isArray(a) && includes(a, value));
      return (a) => Array.isArray(a) && includes(a, value);
    case 'not_contains':
      if (typeof value === 'string') return (a) => (typeof a === 'string' ? !a.includes(value) : Array.isArray(a) && !includes(a, value));
      return (a) => Array.isArray(a) && !includes(a, value);
    case 'in': {
      const set = new Set(value as ConditionScalar[]);
      return (a) => isScalar(a) && set.has(a);
    }
    case 'not_in': {
      const set = new Set(value as ConditionScalar[]);
      return (a) => isScalar(a) && !set.has(a);
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return comparison(operator, value as string | number);
    case 'exists':
      return () => value !== false;
    case 'starts_with': {
      const prefix = value as string;
      return (a) => typeof a === 'string' && a.startsWith(prefix);
    }
    case 'ends_with': {
      const suffix = value as string;
      return (a) => typeof a === 'string' && a.endsWith(suffix);
    }
    case 'regex': {
      const compiled = compileRuleRegex(value as string);
      if (!compiled.ok) throw new Error(compiled.message);
      const regex = compiled.regex;
      return (a) => typeof a === 'string' && regex.test(a);
    }
  }
}

// Strict equality, item by item: Array.prototype.includes would also find NaN, which `===` and
// the reference semantics do not.
function includes(items: readonly unknown[], value: unknown): boolean {
  for (let i = 0; i < items.length; i++) if (items[i] === value) return true;
  return false;
}

function comparison(operator: 'gt' | 'gte' | 'lt' | 'lte', bound: string | number): (actual: unknown) => boolean {
  const kind = typeof bound;
  switch (operator) {
    case 'gt':
      return (a) => typeof a === kind && (a as typeof bound) > bound;
    case 'gte':
      return (a) => typeof a === kind && (a as typeof bound) >= bound;
    case 'lt':
      return (a) => typeof a === kind && (a as typeof bound) < bound;
    case 'lte':
      return (a) => typeof a === kind && (a as typeof bound) <= bound;
  }
}
