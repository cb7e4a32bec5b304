import { describe, expect, it } from 'vitest';
import { ProblemList, type ValidationProblem } from './problem-list.ts';
import { compileRules } from './rule-compiler.ts';
import { MAX_CONDITION_DEPTH, MAX_GROUP_CONDITIONS, MAX_REGEX_LENGTH, MAX_RULE_NODES, MAX_VALUE_ITEMS, MAX_VALUE_LENGTH } from './rule.ts';
import { validateRule } from './rule-validator.ts';

function problemsOf(rule: unknown): ValidationProblem[] {
  const problems = new ProblemList();
  const out = validateRule(rule, '', problems);
  const list = problems.list();
  expect(out === undefined).toBe(list.length > 0);
  return list;
}

const withCondition = (condition: unknown) => ({ rule_id: 'r', name: 'r', conditions: { logic: 'and', conditions: [condition] } });
const conditionProblems = (condition: unknown) => problemsOf(withCondition(condition));

describe('validateRule', () => {
  it('normalizes a valid rule: enabled and conditions filled in, input not shared', () => {
    const input = { rule_id: 'eng_status:1.x-y', name: 'Status', hook_types: ['Stop'] };
    const problems = new ProblemList();
    const rule = validateRule(input, '', problems);
    expect(rule).toEqual({
      rule_id: 'eng_status:1.x-y',
      name: 'Status',
      hook_types: ['Stop'],
      enabled: true,
      conditions: { logic: 'and', conditions: [] },
    });
    expect(rule!.hook_types).not.toBe(input.hook_types);
  });

  it('refuses field paths through the prototype, empty segments and unknown roots', () => {
    for (const field of [
      'data.__proto__.x',
      'event.constructor',
      'session.prototype',
      'data.a.constructor.name',
      'data..x',
      'data.x.',
      '.data.x',
      'request.x',
      'event',
      'Data.x',
      '',
    ]) {
      const problems = conditionProblems({ field, operator: 'exists' });
      expect(problems, field).toHaveLength(1);
      expect(problems[0]!.path).toBe('/conditions/conditions/0/field');
    }
    expect(conditionProblems({ field: 'data.__proto__', operator: 'exists' })[0]!.message).toMatch(/"__proto__" is not allowed/);
  });

  it('refuses regexes re2js cannot compile: backreferences and lookarounds', () => {
    for (const value of ['(a)\\1', '(?=x)y', '(?!x)y', '(?<=x)y', '(?<!x)y', '[unclosed', '*']) {
      const problems = conditionProblems({ field: 'data.s', operator: 'regex', value });
      expect(problems, value).toEqual([{ path: '/conditions/conditions/0/value', message: expect.stringMatching(/error parsing regexp/) }]);
    }
    expect(conditionProblems({ field: 'data.s', operator: 'regex', value: '(a+)+$' })).toEqual([]);
    expect(conditionProblems({ field: 'data.s', operator: 'regex', value: 'a'.repeat(MAX_REGEX_LENGTH + 1) })[0]!.message).toMatch(
      /at most 1000 characters/,
    );
    expect(conditionProblems({ field: 'data.s', operator: 'regex', value: '.{1000}.{1000}' })[0]!.message).toMatch(/instructions/);
  });

  it('checks each operator value', () => {
    const at = '/conditions/conditions/0/value';
    const bad: [string, unknown][] = [
      ['in', 'Bash'],
      ['not_in', { a: 1 }],
      ['in', [1, [2]]],
      ['in', Array.from({ length: MAX_VALUE_ITEMS + 1 }, (_, i) => i)],
      ['equals', { a: 1 }],
      ['equals', [1]],
      ['contains', Number.NaN],
      ['gt', true],
      ['lt', null],
      ['exists', 'yes'],
      ['starts_with', 3],
      ['ends_with', ''],
      ['regex', 7],
      ['equals', 'x'.repeat(MAX_VALUE_LENGTH + 1)],
    ];
    for (const [operator, value] of bad) {
      const problems = conditionProblems({ field: 'data.s', operator, value });
      expect(problems.length, `${operator} ${JSON.stringify(value)?.slice(0, 40)}`).toBeGreaterThan(0);
      expect(problems[0]!.path.startsWith(at)).toBe(true);
    }
    expect(conditionProblems({ field: 'data.s', operator: 'in', value: 'Bash' })[0]!.message).toBe(
      'in takes an array of values, got a string',
    );
    expect(conditionProblems({ field: 'data.s', operator: 'equals' })[0]!.message).toBe('equals needs a value');
    expect(conditionProblems({ field: 'data.s', operator: 'equals', value: null })).toEqual([]);
    expect(conditionProblems({ field: 'data.s', operator: 'exists' })).toEqual([]);
  });

  it('names an unknown operator and unknown keys', () => {
    expect(conditionProblems({ field: 'data.s', operator: 'matches', value: 'x' })).toEqual([
      {
        path: '/conditions/conditions/0/operator',
        message: expect.stringMatching(/^unknown operator "matches" \(known: equals, .*regex\)$/),
      },
    ]);
    expect(problemsOf({ rule_id: 'r', name: 'r', hook_type: ['Stop'] })).toEqual([
      { path: '/hook_type', message: expect.stringMatching(/^unknown property "hook_type"/) },
    ]);
    expect(conditionProblems({ field: 'data.s', operator: 'exists', vaule: 1 })[0]!.path).toBe('/conditions/conditions/0/vaule');
  });

  it('reports a cycle instead of following it', () => {
    const group: { logic: string; conditions: unknown[] } = { logic: 'or', conditions: [] };
    group.conditions.push({ field: 'data.s', operator: 'exists' }, group);
    expect(problemsOf({ rule_id: 'r', name: 'r', conditions: group })).toEqual([
      { path: '/conditions/conditions/1', message: 'cycle: this object contains itself' },
    ]);
    const list: unknown[] = [];
    list.push({ logic: 'and', conditions: list });
    expect(problemsOf({ rule_id: 'r', name: 'r', conditions: { logic: 'and', conditions: list } })).toEqual([
      { path: '/conditions/conditions/0/conditions', message: 'cycle: this array contains itself' },
    ]);
  });

  it('bounds nesting depth, group size and nodes per rule', () => {
    const nest = (depth: number): unknown =>
      depth === 1 ? { logic: 'and', conditions: [] } : { logic: 'and', conditions: [nest(depth - 1)] };
    expect(problemsOf({ rule_id: 'r', name: 'r', conditions: nest(MAX_CONDITION_DEPTH) })).toEqual([]);
    const deep = problemsOf({ rule_id: 'r', name: 'r', conditions: nest(MAX_CONDITION_DEPTH + 1) });
    expect(deep).toEqual([{ path: `/conditions${'/conditions/0'.repeat(MAX_CONDITION_DEPTH)}`, message: 'groups nest at most 8 deep' }]);

    const many = (n: number) => Array.from({ length: n }, () => ({ field: 'data.s', operator: 'exists' }));
    expect(problemsOf({ rule_id: 'r', name: 'r', conditions: { logic: 'and', conditions: many(MAX_GROUP_CONDITIONS + 1) } })).toEqual([
      { path: '/conditions/conditions', message: 'a group has at most 100 conditions, got 101' },
    ]);
    const groups = Array.from({ length: 11 }, () => ({ logic: 'or', conditions: many(MAX_GROUP_CONDITIONS - 1) }));
    expect(11 * MAX_GROUP_CONDITIONS + 1).toBeGreaterThan(MAX_RULE_NODES);
    expect(problemsOf({ rule_id: 'r', name: 'r', conditions: { logic: 'and', conditions: groups } })).toEqual([
      { path: '/conditions', message: 'a rule has at most 1000 conditions and groups' },
    ]);
  });

  it('lists several problems of one rule at once', () => {
    const problems = problemsOf({
      rule_id: 'has space',
      hook_types: 'Stop',
      enabled: 'yes',
      conditions: {
        logic: 'xor',
        conditions: [{ field: 'data.x', operator: 'gt', value: [1] }, 'text', { logic: 'and', field: 'data.y' }],
      },
    });
    expect(problems.map((p) => p.path)).toEqual([
      '/rule_id',
      '/name',
      '/hook_types',
      '/enabled',
      '/conditions/logic',
      '/conditions/conditions/0/value',
      '/conditions/conditions/1',
      '/conditions/conditions/2',
    ]);
  });

  it('makes compileRules skip an invalid rule, keep the others and say why', () => {
    const set = compileRules([
      { rule_id: 'bad', name: 'bad', conditions: { logic: 'and', conditions: [{ field: 'data.__proto__', operator: 'exists' }] } },
      { rule_id: 'good', name: 'good', conditions: { logic: 'and', conditions: [] } },
    ]);
    expect(set.size).toBe(1);
    expect(set.problems).toEqual([{ path: '/0/conditions/conditions/0/field', message: '"__proto__" is not allowed in a field path' }]);
    const ctx = { event: { event_type: 'x', data: {} } };
    expect(set.evaluate(ctx).map((f) => f.ruleId)).toEqual(['good']);
    expect(set.explain(ctx)[0]).toMatchObject({ ruleId: 'bad', fired: false, conditions: null, problems: set.problems });
  });
});

describe('a rule template', () => {
  const withTemplate = (template: unknown) => ({ rule_id: 'r', name: 'r', template });
  const templateOf = (template: unknown) => validateRule(withTemplate(template), '/rules/0', new ProblemList())?.template;

  it('is a string (the text) or {title?, text?}, each part a Mustache template', () => {
    expect(templateOf('{{data.tool_name}} failed')).toBe('{{data.tool_name}} failed');
    expect(templateOf({ title: 'On {{session.project}}', text: '{{#data.error}}{{.}}{{/data.error}}' })).toEqual({
      title: 'On {{session.project}}',
      text: '{{#data.error}}{{.}}{{/data.error}}',
    });
    expect(templateOf({ title: 'Only a title' })).toEqual({ title: 'Only a title' });
    expect(problemsOf(withTemplate({ text: 'x' }))).toEqual([]);
  });

  it('names the part and the tag of each problem', () => {
    const at = (template: unknown) => {
      const problems = new ProblemList();
      validateRule(withTemplate(template), '/rules/0', problems);
      return problems.list();
    };
    expect(at('{{> footer}}')).toEqual([{ path: '/rules/0/template', message: '{{>footer}}: partials are not supported' }]);
    expect(at({ title: '{{tool}}', text: '{{=<% %>=}}', color: 'red' })).toEqual([
      { path: '/rules/0/template/color', message: 'unknown property "color" (allowed: title, text)' },
      { path: '/rules/0/template/title', message: expect.stringMatching(/^\{\{tool\}\}: a field path starts with/) },
      { path: '/rules/0/template/text', message: '{{=<% %>=}}: changing the delimiters is not supported' },
    ]);
    expect(at({})).toEqual([{ path: '/rules/0/template', message: 'a template object has a title, a text or both' }]);
    expect(at({ text: 3, title: '' })).toEqual([
      { path: '/rules/0/template/title', message: 'expected a non-empty string, got an empty one' },
      { path: '/rules/0/template/text', message: 'expected a non-empty string, got a number' },
    ]);
    expect(at('')).toEqual([{ path: '/rules/0/template', message: 'expected a non-empty string, got an empty one' }]);
    expect(at(['x'])).toEqual([{ path: '/rules/0/template', message: 'expected a string or {title, text}, got an array' }]);
  });
});
