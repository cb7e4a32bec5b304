import { describe, expect, it } from 'vitest';
import { compileRules } from './rule-compiler.ts';
import type { Condition, RuleContext } from './rule.ts';

const event = {
  event_id: 'e1',
  session_id: 's1',
  event_type: 'tool_execution_completed',
  timestamp: '2025-06-01T12:00:00.000Z',
  source: 'claude-code',
  team_id: null,
  data: {
    hook_event_name: 'PostToolUse',
    tool_name: 'Bash',
    duration_ms: 41,
    labels: ['ci', 'billing', 3],
    tool_input: { command: 'npm test -- invoice', edits: [{ old_string: 'a', new_string: 'b' }] },
    nothing: null,
    flag: true,
    count_text: '10',
  },
};
const session = { project: 'billing', model: 'claude-sonnet-4-5', tool_calls: 12, status: 'active' };
const ctx: RuleContext = { event, session };

function matches(condition: Condition, context: RuleContext = ctx): boolean {
  const set = compileRules([{ rule_id: 'r', name: 'r', conditions: { logic: 'and', conditions: [condition] } }]);
  expect(set.problems).toEqual([]);
  const fired = set.evaluate(context).length === 1;
  // explain must agree with evaluate on every case
  expect(set.explain(context)[0]!.fired).toBe(fired);
  return fired;
}

// [operator, value, field that hits, field that misses, field of the wrong type]
const cases: [Condition['operator'], Condition['value'], string, string, string][] = [
  ['equals', 'Bash', 'data.tool_name', 'event.source', 'data.labels'],
  ['not_equals', 'Edit', 'data.tool_name', 'data.tool_name', 'data.labels'],
  ['contains', 'billing', 'data.labels', 'data.tool_name', 'data.duration_ms'],
  ['not_contains', 'docs', 'data.labels', 'data.labels', 'data.duration_ms'],
  ['in', ['Bash', 'Edit'], 'data.tool_name', 'event.source', 'data.labels'],
  ['not_in', ['Edit', 'Write'], 'data.tool_name', 'data.tool_name', 'data.labels'],
  ['gt', 40, 'data.duration_ms', 'session.tool_calls', 'data.count_text'],
  ['gte', 41, 'data.duration_ms', 'session.tool_calls', 'data.count_text'],
  ['lt', 100, 'data.duration_ms', 'data.duration_ms', 'data.count_text'],
  ['lte', 41, 'data.duration_ms', 'data.duration_ms', 'data.count_text'],
  ['starts_with', 'npm ', 'data.tool_input.command', 'data.tool_name', 'data.duration_ms'],
  ['ends_with', 'invoice', 'data.tool_input.command', 'data.tool_name', 'data.labels'],
  ['regex', '^npm (test|run)\\b', 'data.tool_input.command', 'data.tool_name', 'data.duration_ms'],
];
// Where the hit and the miss read the same field, the miss takes another value.
const misses: Partial<Record<Condition['operator'], Condition['value']>> = {
  not_equals: 'Bash',
  not_contains: 'ci',
  not_in: ['Bash'],
  lt: 41,
  lte: 40,
};

describe('operators', () => {
  for (const [operator, value, hit, miss, wrongType] of cases) {
    it(`${operator}: hit, miss, missing field, wrong type`, () => {
      expect(matches({ field: hit, operator, value })).toBe(true);
      expect(matches({ field: miss, operator, value: misses[operator] ?? value })).toBe(false);
      expect(matches({ field: 'data.no_such_field', operator, value })).toBe(false);
      expect(matches({ field: 'session.project', operator, value }, { event })).toBe(false);
      const wrong = operator === 'not_equals' ? false : matches({ field: wrongType, operator, value });
      expect(wrong).toBe(false);
    });
  }

  it('not_equals is true for a value of another type, never for a missing field', () => {
    expect(matches({ field: 'data.count_text', operator: 'not_equals', value: 10 })).toBe(true);
    expect(matches({ field: 'data.gone', operator: 'not_equals', value: 10 })).toBe(false);
  });

  it('equality is strict: no coercion between numbers, strings and booleans', () => {
    expect(matches({ field: 'data.count_text', operator: 'equals', value: 10 })).toBe(false);
    expect(matches({ field: 'data.count_text', operator: 'equals', value: '10' })).toBe(true);
    expect(matches({ field: 'data.flag', operator: 'equals', value: 'true' })).toBe(false);
    expect(matches({ field: 'data.labels', operator: 'contains', value: '3' })).toBe(false);
    expect(matches({ field: 'data.labels', operator: 'contains', value: 3 })).toBe(true);
    expect(matches({ field: 'data.duration_ms', operator: 'in', value: ['41'] })).toBe(false);
    expect(matches({ field: 'data.duration_ms', operator: 'not_in', value: ['41'] })).toBe(true);
  });

  it('null is a value: it exists and equals null', () => {
    expect(matches({ field: 'data.nothing', operator: 'equals', value: null })).toBe(true);
    expect(matches({ field: 'data.nothing', operator: 'exists' })).toBe(true);
    expect(matches({ field: 'data.nothing', operator: 'in', value: [null, 'x'] })).toBe(true);
  });

  it('exists: true (or no value) when found, false when missing', () => {
    expect(matches({ field: 'data.tool_name', operator: 'exists' })).toBe(true);
    expect(matches({ field: 'data.tool_name', operator: 'exists', value: true })).toBe(true);
    expect(matches({ field: 'data.tool_name', operator: 'exists', value: false })).toBe(false);
    expect(matches({ field: 'data.gone', operator: 'exists', value: false })).toBe(true);
    expect(matches({ field: 'data.gone', operator: 'exists' })).toBe(false);
    expect(matches({ field: 'session.project', operator: 'exists', value: false }, { event, session: null })).toBe(true);
  });

  it('contains is a substring on strings and membership on arrays', () => {
    expect(matches({ field: 'data.tool_input.command', operator: 'contains', value: 'test' })).toBe(true);
    expect(matches({ field: 'data.tool_input.command', operator: 'not_contains', value: 'deploy' })).toBe(true);
    expect(matches({ field: 'data.labels', operator: 'contains', value: 'bill' })).toBe(false);
    expect(matches({ field: 'data.tool_input', operator: 'contains', value: 'command' })).toBe(false);
    expect(matches({ field: 'data.tool_input', operator: 'not_contains', value: 'command' })).toBe(false);
  });

  it('compares strings lexicographically, ISO times included, and never a string with a number', () => {
    expect(matches({ field: 'event.timestamp', operator: 'gt', value: '2025-05-31T23:59:59.999Z' })).toBe(true);
    expect(matches({ field: 'event.timestamp', operator: 'lt', value: '2025-05-31T23:59:59.999Z' })).toBe(false);
    expect(matches({ field: 'data.count_text', operator: 'gt', value: '9' })).toBe(false);
    expect(matches({ field: 'data.count_text', operator: 'gt', value: 9 })).toBe(false);
    expect(matches({ field: 'data.duration_ms', operator: 'gt', value: '9' })).toBe(false);
  });

  it('reads array indices and never an array property or the prototype', () => {
    expect(matches({ field: 'data.tool_input.edits.0.old_string', operator: 'equals', value: 'a' })).toBe(true);
    expect(matches({ field: 'data.tool_input.edits.1.old_string', operator: 'exists' })).toBe(false);
    expect(matches({ field: 'data.labels.length', operator: 'exists' })).toBe(false);
    expect(matches({ field: 'data.tool_name.length', operator: 'exists' })).toBe(false);
    expect(matches({ field: 'data.toString', operator: 'exists' })).toBe(false);
    expect(matches({ field: 'data.hasOwnProperty', operator: 'exists' })).toBe(false);
    const inherited = { event: { ...event, data: Object.create({ tool_name: 'Bash' }) as Record<string, unknown> } };
    expect(matches({ field: 'data.tool_name', operator: 'equals', value: 'Bash' }, inherited)).toBe(false);
  });

  it('regex: linear on a pattern that backtracks elsewhere, and only on strings', () => {
    const text = (s: string) => ({ event: { ...event, data: { text: s } } });
    expect(matches({ field: 'data.text', operator: 'regex', value: '(a+)+$' }, text('a'.repeat(100_000)))).toBe(true);
    expect(matches({ field: 'data.text', operator: 'regex', value: '^(a+)+$' }, text(`${'a'.repeat(100_000)}b`))).toBe(false);
    expect(matches({ field: 'data.text', operator: 'regex', value: '(x+x+)+y' }, text('x'.repeat(100_000)))).toBe(false);
    expect(matches({ field: 'data.tool_name', operator: 'regex', value: '(?i)^bash$' })).toBe(true);
  });

  it('hook_types match the event_type or the agent hook name; empty means every event', () => {
    const rule = (hook_types?: string[]) => ({
      rule_id: 'r',
      name: 'r',
      ...(hook_types ? { hook_types } : {}),
      conditions: { logic: 'and' as const, conditions: [] },
    });
    const fires = (hook_types?: string[]) => compileRules([rule(hook_types)]).evaluate(ctx).length === 1;
    expect(fires()).toBe(true);
    expect(fires([])).toBe(true);
    expect(fires(['tool_execution_completed'])).toBe(true);
    expect(fires(['PostToolUse', 'Stop'])).toBe(true);
    expect(fires(['PreToolUse'])).toBe(false);
  });

  it('empty groups: and is true, or is false; disabled rules never fire', () => {
    const set = compileRules([
      { rule_id: 'and', name: 'a', conditions: { logic: 'and', conditions: [] } },
      { rule_id: 'or', name: 'o', conditions: { logic: 'or', conditions: [] } },
      { rule_id: 'off', name: 'x', enabled: false, conditions: { logic: 'and', conditions: [] } },
    ]);
    expect(set.evaluate(ctx).map((f) => f.ruleId)).toEqual(['and']);
    expect(set.explain(ctx).map((e) => [e.ruleId, e.enabled, e.fired])).toEqual([
      ['and', true, true],
      ['or', true, false],
      ['off', false, false],
    ]);
  });
});
