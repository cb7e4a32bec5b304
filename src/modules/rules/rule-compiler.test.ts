import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRules } from './rule-compiler.ts';
import type { NodeExplanation } from './rule-explanation.ts';
import {
  MAX_CONDITION_DEPTH,
  type Condition,
  type ConditionGroup,
  type ConditionNode,
  type ConditionScalar,
  type Rule,
  type RuleContext,
} from './rule.ts';

// The reference: a plain recursive interpreter of the semantics documented in rule-compiler.ts,
// reading the configuration as it is, with nothing compiled, cached or specialised.

type Found = { found: true; value: unknown } | { found: false };

function refLookup(ctx: RuleContext, field: string): Found {
  const parts = field.split('.');
  let current: unknown = parts[0] === 'session' ? ctx.session : ctx.event;
  for (const part of parts[0] === 'data' ? parts : parts.slice(1)) {
    if (Array.isArray(current)) {
      if (!/^(0|[1-9][0-9]*)$/.test(part) || Number(part) >= current.length) return { found: false };
      current = current[Number(part)];
    } else if (typeof current === 'object' && current !== null && Object.hasOwn(current, part)) {
      current = (current as Record<string, unknown>)[part];
    } else {
      return { found: false };
    }
  }
  return current === undefined ? { found: false } : { found: true, value: current };
}

const isScalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
const sameKind = (a: unknown, b: unknown) =>
  (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');

function refCondition(c: Condition, ctx: RuleContext): boolean {
  const got = refLookup(ctx, c.field);
  if (!got.found) return c.operator === 'exists' && c.value === false;
  const a = got.value as any;
  const v = c.value as any;
  switch (c.operator) {
    case 'equals':
      return a === v;
    case 'not_equals':
      return a !== v;
    case 'contains':
      return Array.isArray(a) ? a.some((x) => x === v) : typeof a === 'string' && typeof v === 'string' && a.indexOf(v) >= 0;
    case 'not_contains':
      return Array.isArray(a) ? !a.some((x) => x === v) : typeof a === 'string' && typeof v === 'string' && a.indexOf(v) < 0;
    case 'in':
      return isScalar(a) && (v as unknown[]).some((x) => x === a);
    case 'not_in':
      return isScalar(a) && !(v as unknown[]).some((x) => x === a);
    case 'gt':
      return sameKind(a, v) && a > v;
    case 'gte':
      return sameKind(a, v) && a >= v;
    case 'lt':
      return sameKind(a, v) && a < v;
    case 'lte':
      return sameKind(a, v) && a <= v;
    case 'exists':
      return v !== false;
    case 'starts_with':
      return typeof a === 'string' && a.slice(0, v.length) === v;
    case 'ends_with':
      return typeof a === 'string' && a.length >= v.length && a.slice(a.length - v.length) === v;
    // Every generated pattern means the same in JavaScript and RE2.
    case 'regex':
      return typeof a === 'string' && new RegExp(v).test(a);
  }
}

const isGroup = (n: ConditionNode): n is ConditionGroup => 'logic' in n;

function refNode(n: ConditionNode, ctx: RuleContext): boolean {
  if (!isGroup(n)) return refCondition(n, ctx);
  return n.logic === 'and' ? n.conditions.every((c) => refNode(c, ctx)) : n.conditions.some((c) => refNode(c, ctx));
}

function refFires(rule: Rule, ctx: RuleContext): boolean {
  if (rule.enabled === false) return false;
  const event = ctx.event as Record<string, any>;
  const types = rule.hook_types ?? [];
  if (types.length > 0 && !types.includes(event.event_type) && !types.includes(event.data?.hook_event_name)) return false;
  return refNode(rule.conditions, ctx);
}

/** Checks every node of an explanation against the reference, in step with the rule's tree. */
function expectExplained(e: NodeExplanation, n: ConditionNode, ctx: RuleContext): void {
  expect(e.matched).toBe(refNode(n, ctx));
  if (isGroup(n)) {
    expect(e.kind).toBe('group');
    n.conditions.forEach((child, i) => expectExplained((e as { conditions: NodeExplanation[] }).conditions[i]!, child, ctx));
  } else {
    expect(e).toMatchObject({ kind: 'condition', field: n.field, operator: n.operator, found: refLookup(ctx, n.field).found });
  }
}

// Generators: small pools, so that fields exist about half the time and values often meet.

const STRINGS = ['Bash', 'Edit', 'bash', 'a', 'ab', 'b', '', '10', '9', 'x1', 'npm test', 'tool_execution_completed'];
const scalar: fc.Arbitrary<ConditionScalar> = fc.oneof(
  fc.constantFrom(...STRINGS),
  fc.integer({ min: -3, max: 12 }),
  fc.boolean(),
  fc.constant(null),
);
const KEYS = ['tool_name', 'n', 's', 'arr', 'obj', 'nul', 'k', '0'];
const { value: dataValue } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 4 }),
  ),
}));
const context: fc.Arbitrary<RuleContext> = fc.record({
  event: fc.record({
    event_type: fc.constantFrom('tool_execution_started', 'tool_execution_completed', 'agent_stopped'),
    source: fc.constantFrom('claude-code', 'codex'),
    timestamp: fc.constantFrom('2025-06-01T12:00:00.000Z', '2025-01-01T00:00:00.000Z'),
    data: fc.record(
      {
        hook_event_name: fc.constantFrom('PreToolUse', 'PostToolUse', 'Stop'),
        tool_name: scalar,
        n: scalar,
        s: scalar,
        arr: dataValue,
        obj: dataValue,
        nul: fc.constant(null),
        '0': scalar,
      },
      { requiredKeys: [] },
    ),
  }),
  session: fc.option(
    fc.record({ project: scalar, tool_calls: fc.integer({ min: 0, max: 12 }), model: scalar, tags: dataValue }, { requiredKeys: [] }),
    { nil: null },
  ),
});

const FIELDS = [
  'event.event_type',
  'event.source',
  'event.timestamp',
  'event.missing',
  'event.data.tool_name',
  'data.tool_name',
  'data.n',
  'data.s',
  'data.arr',
  'data.arr.0',
  'data.arr.1',
  'data.arr.0.k',
  'data.obj',
  'data.obj.k',
  'data.obj.arr.0',
  'data.obj.0',
  'data.nul',
  'data.nul.k',
  'data.0',
  'data.s.0',
  'data.missing.deeper',
  'session.project',
  'session.tool_calls',
  'session.model',
  'session.tags.0',
  'session.tags.k',
];
const PATTERNS = ['^B', 'a+', 'b$', '^$', '\\d', 'x|y', '^[a-z]+$', 'ash', '^(a|b)+$', 'npm (test|run)'];
const condition: fc.Arbitrary<Condition> = fc.constantFrom(...FIELDS).chain((field) =>
  fc.oneof(
    fc.record({
      field: fc.constant(field),
      operator: fc.constantFrom('equals', 'not_equals', 'contains', 'not_contains' as const),
      value: scalar,
    }),
    fc.record({
      field: fc.constant(field),
      operator: fc.constantFrom('in', 'not_in' as const),
      value: fc.array(scalar, { maxLength: 4 }),
    }),
    fc.record({
      field: fc.constant(field),
      operator: fc.constantFrom('gt', 'gte', 'lt', 'lte' as const),
      value: fc.oneof(fc.integer({ min: -3, max: 12 }), fc.constantFrom(...STRINGS, '2025-03-01T00:00:00.000Z')),
    }),
    fc.record(
      { field: fc.constant(field), operator: fc.constant('exists' as const), value: fc.boolean() },
      { requiredKeys: ['field', 'operator'] },
    ),
    fc.record({
      field: fc.constant(field),
      operator: fc.constantFrom('starts_with', 'ends_with' as const),
      value: fc.constantFrom(...STRINGS.filter(Boolean)),
    }),
    fc.record({ field: fc.constant(field), operator: fc.constant('regex' as const), value: fc.constantFrom(...PATTERNS) }),
  ),
);
const { group } = fc.letrec<{ group: ConditionGroup; node: ConditionNode }>((tie) => ({
  // Groups nest at most MAX_CONDITION_DEPTH deep (the rule's own group is the first), which
  // validation enforces; past it only conditions (the first arbitrary) are drawn.
  node: fc.oneof({ depthSize: 'small', maxDepth: MAX_CONDITION_DEPTH - 1 }, condition, tie('group')),
  group: fc.record({ logic: fc.constantFrom('and', 'or' as const), conditions: fc.array(tie('node'), { maxLength: 4 }) }),
}));
const HOOK_TYPES = [
  'tool_execution_started',
  'tool_execution_completed',
  'agent_stopped',
  'PreToolUse',
  'PostToolUse',
  'Stop',
  'SessionStart',
];
const rules: fc.Arbitrary<Rule[]> = fc
  .array(
    fc.record(
      { name: fc.constant('rule'), hook_types: fc.subarray(HOOK_TYPES, { maxLength: 3 }), enabled: fc.boolean(), conditions: group },
      { requiredKeys: ['name', 'conditions'] },
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((list) => list.map((r, i) => ({ rule_id: `r${i}`, ...r })));

describe('compileRules against the reference interpreter', () => {
  it('fires exactly the rules the reference fires, in order', () => {
    fc.assert(
      fc.property(rules, fc.array(context, { minLength: 1, maxLength: 5 }), (list, contexts) => {
        const set = compileRules(list);
        expect(set.problems).toEqual([]);
        for (const ctx of contexts) {
          expect(set.evaluate(ctx).map((f) => f.ruleId)).toEqual(list.filter((r) => refFires(r, ctx)).map((r) => r.rule_id));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('explains every rule and every condition as the reference evaluates them', () => {
    fc.assert(
      fc.property(rules, context, (list, ctx) => {
        const explained = compileRules(list).explain(ctx);
        expect(explained.map((e) => e.fired)).toEqual(list.map((r) => refFires(r, ctx)));
        explained.forEach((e, i) => expectExplained(e.conditions!, list[i]!.conditions, ctx));
      }),
      { numRuns: 300 },
    );
  });
});

describe('evaluation never throws', () => {
  const anyContext = fc.record({ event: fc.anything(), session: fc.anything() }) as fc.Arbitrary<RuleContext>;

  it('on arbitrary values where the event, its data and the session should be', () => {
    fc.assert(
      fc.property(
        rules,
        fc.oneof(
          anyContext,
          context.map((c) => ({ ...c, event: { ...c.event, data: fc.sample(fc.anything(), 1)[0] } })),
        ),
        (list, ctx) => {
          const set = compileRules(list);
          set.evaluate(ctx);
          set.explain(ctx);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('on getters and proxies that throw, deep objects and huge strings', () => {
    const set = compileRules([
      {
        rule_id: 'a',
        name: 'a',
        hook_types: ['x'],
        conditions: { logic: 'and', conditions: [{ field: 'data.a.b.c', operator: 'regex', value: 'z$' }] },
      },
      {
        rule_id: 'b',
        name: 'b',
        conditions: { logic: 'or', conditions: [{ field: 'session.project', operator: 'contains', value: 'x' }] },
      },
    ]);
    const throwing = new Proxy(
      {},
      {
        get: () => {
          throw new Error('boom');
        },
        has: () => {
          throw new Error('boom');
        },
        getOwnPropertyDescriptor: () => {
          throw new Error('boom');
        },
      },
    );
    const getter = Object.defineProperty({}, 'a', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    let deep: Record<string, unknown> = { c: 'z' };
    for (let i = 0; i < 100_000; i++) deep = { b: deep, a: deep };
    const contexts: unknown[] = [
      { event: throwing, session: throwing },
      { event: { event_type: 'x', data: getter }, session: null },
      { event: { event_type: 'x', data: throwing } },
      { event: { event_type: 'x', data: { a: { b: { c: `${'y'.repeat(5_000_000)}z` } } } }, session: { project: 'x'.repeat(5_000_000) } },
      { event: { event_type: 'x', data: deep }, session: deep },
      { event: null, session: undefined },
      { event: 'text' },
    ];
    for (const ctx of contexts) {
      expect(() => set.evaluate(ctx as RuleContext)).not.toThrow();
      expect(() => JSON.stringify(set.explain(ctx as RuleContext))).not.toThrow();
    }
    expect(set.evaluate(contexts[3] as RuleContext).map((f) => f.ruleId)).toEqual(['a', 'b']);
    expect(set.explain(contexts[1] as RuleContext)[0]!.error).toMatch(/could not be read/);
  });

  it('compiles any JSON as a rule list, skipping what does not validate', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 4 }), context, (list, ctx) => {
        const set = compileRules(list as unknown as Rule[]);
        expect(set.evaluate(ctx)).toEqual([]);
        expect(set.explain(ctx)).toHaveLength(list.length);
      }),
    );
  });
});
