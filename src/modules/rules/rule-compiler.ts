/**
 * The rule engine: a team's rules compiled once per configuration revision, then evaluated
 * against each stored event. Pure: no database, no clock, no I/O.
 *
 * Semantics (one rule per case; compiled-condition.ts implements them):
 *
 * - Which rules run. A rule is evaluated when it is enabled (absent = true) and its hook_types
 *   is empty or absent, or holds the event's `event_type` or its `data.hook_event_name` (so
 *   both "tool_execution_failed" and Claude Code's "PostToolUseFailure" name the same event).
 * - Fields. `event.x` is a property of the canonical event, `data.x` short for `event.data.x`,
 *   `session.x` a column of the event's derived session (absent context = every session
 *   field missing). Segments are own properties only; a decimal segment indexes an array, and
 *   an array has no other properties (`data.list.length` is missing).
 * - Missing. A path that leads nowhere (no such own property, an index out of range, a step
 *   through a non-object, or `undefined`) makes the condition false, whatever the operator,
 *   not_equals, not_contains and not_in included. Only `exists: false` is true on it. A JSON
 *   null is a value: it exists, and equals null.
 * - Equality (equals, not_equals, in, not_in, array contains). Strict equality on JSON
 *   scalars; nothing is coerced: 1 is not "1", true is not "true". Condition values are
 *   scalars, so an object or array field never equals one (not_equals is then true).
 * - in / not_in. The field's value must be a scalar (string, number, boolean, null): in is
 *   true when the list holds it, not_in when it does not; an object or array is false for
 *   both.
 * - contains / not_contains. On an array field: membership of the value (strict equality). On
 *   a string field with a string value: substring (case-sensitive). Anything else is false
 *   for both (a string field with a number value, a number field, an object).
 * - gt, gte, lt, lte. A number field with a number value compares numerically; a string field
 *   with a string value compares lexicographically by UTF-16 code unit, which orders ISO-8601
 *   times correctly when both are written alike (`event.timestamp` is
 *   "2025-06-01T12:00:00.000Z": milliseconds and Z). Any other pairing is false: "10" is not
 *   compared with 9.
 * - exists. `true` or no value: the field is found (null included). `false`: it is missing.
 * - starts_with, ends_with, regex. String fields only (case-sensitive; a regex may say (?i));
 *   anything else is false. regex matches anywhere in the string (RE2 syntax, linear time;
 *   see rule-regex.ts).
 * - Groups. `and` is true when every child is (an empty `and` is true: a rule without
 *   conditions fires on every event of its hook_types); `or` when some child is (an empty
 *   `or` is false).
 * - Never throws. A rule that failed validation is skipped and listed in `problems`; an event
 *   that cannot be read (a JS-built context whose getter throws) fires nothing for that rule.
 *   Work per condition is bounded by its path length and, for strings, linear in the string.
 */
import { compileNode, type CompiledGroup, type Roots } from './compiled-condition.ts';
import { ProblemList, pointer, type ValidationProblem } from './problem-list.ts';
import { explainNode, type GroupExplanation, type RuleExplanation } from './rule-explanation.ts';
import { validateRule } from './rule-validator.ts';
import type { FiredRule, Rule, RuleContext } from './rule.ts';

export interface CompiledRuleSet {
  /** Rules that compiled, enabled or not. */
  readonly size: number;
  /** Problems of the rules that did not compile, at their index in the list given (`/3/name`). */
  readonly problems: readonly ValidationProblem[];
  /** The enabled rules that fire for this event, in configuration order. */
  evaluate(ctx: RuleContext): FiredRule[];
  /** Every rule, fired or not, with each condition's field, expected and actual value. */
  explain(ctx: RuleContext): RuleExplanation[];
}

interface CompiledRule {
  rule: Rule;
  fired: FiredRule;
  enabled: boolean;
  /** Null = every event. */
  hookTypes: ReadonlySet<string> | null;
  conditions: CompiledGroup | null;
  problems?: ValidationProblem[];
}

export function compileRules(rules: readonly Rule[]): CompiledRuleSet {
  const compiled: CompiledRule[] = [];
  const allProblems: ValidationProblem[] = [];
  rules.forEach((input, index) => {
    const problems = new ProblemList();
    let entry: CompiledRule;
    try {
      entry = compileRule(input, index, problems);
    } catch {
      // Only a JS-built rule can throw (a getter, a Proxy); JSON never does.
      problems.add(pointer('', index), 'the rule could not be read as JSON data');
      entry = skipped(input, index, problems);
    }
    if (entry.problems) allProblems.push(...entry.problems);
    compiled.push(entry);
  });
  const active = compiled.filter((r) => r.enabled && r.conditions);
  return {
    size: compiled.filter((r) => r.conditions).length,
    problems: allProblems,
    evaluate(ctx) {
      const roots = rootsOf(ctx);
      const fired: FiredRule[] = [];
      if (!roots) return fired;
      const [eventType, hookName] = hookNames(roots);
      for (let i = 0; i < active.length; i++) {
        const rule = active[i]!;
        if (rule.hookTypes && !rule.hookTypes.has(eventType) && !rule.hookTypes.has(hookName)) continue;
        try {
          if (rule.conditions!.test(roots)) fired.push(rule.fired);
        } catch {
          // Only a JS-built context can throw (a getter, a Proxy); the rule does not fire.
        }
      }
      return fired;
    },
    explain(ctx) {
      const roots = rootsOf(ctx) ?? { event: undefined, session: undefined };
      const [eventType, hookName] = hookNames(roots);
      return compiled.map((rule) => explainRule(rule, roots, eventType, hookName));
    },
  };
}

function compileRule(input: Rule, index: number, problems: ProblemList): CompiledRule {
  // Rules are validated when saved; validating again here keeps one stored before a limit
  // tightened (or written around the API) from failing a whole team's evaluation.
  const rule = validateRule(input, pointer('', index), problems);
  if (!rule) return skipped(input, index, problems);
  const hookTypes = rule.hook_types && rule.hook_types.length > 0 ? new Set(rule.hook_types) : null;
  const fired = Object.freeze({ ruleId: rule.rule_id, name: rule.name, rule });
  return { rule, fired, enabled: rule.enabled !== false, hookTypes, conditions: compileNode(rule.conditions) as CompiledGroup };
}

function skipped(input: Rule, index: number, problems: ProblemList): CompiledRule {
  let ruleId = `#${index}`;
  let name = '';
  try {
    if (typeof input?.rule_id === 'string') ruleId = input.rule_id;
    if (typeof input?.name === 'string') name = input.name;
  } catch {
    // The index stands for a rule whose id cannot be read.
  }
  return {
    rule: input,
    fired: { ruleId, name, rule: input },
    enabled: false,
    hookTypes: null,
    conditions: null,
    problems: problems.list(),
  };
}

function explainRule(rule: CompiledRule, roots: Roots, eventType: string, hookName: string): RuleExplanation {
  const hookTypeMatched = !rule.hookTypes || rule.hookTypes.has(eventType) || rule.hookTypes.has(hookName);
  const out: RuleExplanation = {
    ruleId: rule.fired.ruleId,
    name: rule.fired.name,
    enabled: rule.enabled,
    hookTypeMatched,
    fired: false,
    conditions: null,
  };
  if (rule.problems) {
    out.problems = rule.problems;
    return out;
  }
  try {
    out.conditions = explainNode(rule.conditions!, roots) as GroupExplanation;
    out.fired = rule.enabled && hookTypeMatched && out.conditions.matched;
  } catch {
    // What was thrown is not shown: reading it could throw again.
    out.error = 'the event could not be read (a getter or proxy threw)';
  }
  return out;
}

function rootsOf(ctx: RuleContext): Roots | null {
  try {
    return { event: ctx.event, session: ctx.session ?? undefined };
  } catch {
    return null;
  }
}

// Empty strings never name a hook type (validation requires 1+ characters), so they stand
// for "none" without a branch in the loop.
function hookNames(roots: Roots): [string, string] {
  try {
    const event = roots.event as Record<string, unknown> | null | undefined;
    const eventType = typeof event === 'object' && event !== null && Object.hasOwn(event, 'event_type') ? event.event_type : undefined;
    const data = typeof event === 'object' && event !== null && Object.hasOwn(event, 'data') ? event.data : undefined;
    const hookName =
      typeof data === 'object' && data !== null && Object.hasOwn(data, 'hook_event_name')
        ? (data as Record<string, unknown>).hook_event_name
        : undefined;
    return [typeof eventType === 'string' ? eventType : '', typeof hookName === 'string' ? hookName : ''];
  } catch {
    return ['', ''];
  }
}
