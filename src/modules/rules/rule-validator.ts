/**
 * Validation of one rule, shared by the team configuration validator (which adds the list
 * limits and unique ids) and compileRules (which skips a rule that no longer passes rather
 * than stop a team's other rules). Input is untrusted JSON or any JS value: only own
 * properties are read, unknown keys are refused by name (a misspelt `hook_type` would
 * otherwise make a rule fire on every event), and the walk is bounded by the limits in rule.ts
 * and by the objects it is inside of, so a cycle is reported instead of followed.
 */
import { parseFieldPath } from './field-path.ts';
import { checkString, clip, isObject, pointer, refuseUnknownKeys, typeName, type JsonObject, type ProblemList } from './problem-list.ts';
import { compileRuleRegex } from './rule-regex.ts';
import { parseTemplate } from './message-template.ts';
import {
  LOGICS,
  MAX_CONDITION_DEPTH,
  MAX_FIELD_LENGTH,
  MAX_GROUP_CONDITIONS,
  MAX_HOOK_TYPE_LENGTH,
  MAX_HOOK_TYPES,
  MAX_RULE_CHANNELS,
  MAX_RULE_NAME_LENGTH,
  MAX_RULE_NODES,
  MAX_VALUE_ITEMS,
  MAX_VALUE_LENGTH,
  OPERATORS,
  RULE_CHANNEL_PATTERN,
  RULE_ID_PATTERN,
  RULE_PRIORITIES,
  type Condition,
  type ConditionGroup,
  type ConditionNode,
  type ConditionScalar,
  type Logic,
  type Operator,
  TEMPLATE_PARTS,
  type Rule,
  type RuleTemplate,
} from './rule.ts';

const RULE_KEYS = ['rule_id', 'name', 'hook_types', 'enabled', 'conditions', 'channels', 'priority', 'template', 'once_per_session'];
const GROUP_KEYS = ['logic', 'conditions'];
const CONDITION_KEYS = ['field', 'operator', 'value'];
const NODE_SHAPE = 'a condition {field, operator, value} or a group {logic, conditions}';

interface Walk {
  problems: ProblemList;
  /** Objects and arrays the walk is inside of: meeting one again is a cycle. */
  inside: Set<object>;
  nodes: number;
  /** Where the rule's node count was reported, once. */
  rootPath: string;
  overflowed: boolean;
}

/** The rule, normalized (enabled and conditions filled in), or undefined after adding its problems. */
export function validateRule(input: unknown, path: string, problems: ProblemList): Rule | undefined {
  if (!isObject(input)) {
    problems.add(path, `expected a rule object, got ${typeName(input)}`);
    return undefined;
  }
  const before = problems.size;
  refuseUnknownKeys(input, RULE_KEYS, path, problems);
  const ruleId = input.rule_id;
  if (typeof ruleId !== 'string' || !RULE_ID_PATTERN.test(ruleId)) {
    problems.add(
      pointer(path, 'rule_id'),
      ruleId === undefined ? 'rule_id is required' : 'rule_id is 1 to 100 characters of A-Z a-z 0-9 _ . : -',
    );
  }
  if (!Object.hasOwn(input, 'name')) problems.add(pointer(path, 'name'), 'name is required');
  else checkString(input.name, MAX_RULE_NAME_LENGTH, pointer(path, 'name'), problems);
  const hookTypes = validateHookTypes(input, path, problems);
  if (Object.hasOwn(input, 'enabled') && typeof input.enabled !== 'boolean') {
    problems.add(pointer(path, 'enabled'), `expected a boolean, got ${typeName(input.enabled)}`);
  }
  if (Object.hasOwn(input, 'once_per_session') && typeof input.once_per_session !== 'boolean') {
    problems.add(pointer(path, 'once_per_session'), `expected a boolean, got ${typeName(input.once_per_session)}`);
  }
  let conditions: ConditionGroup | undefined = { logic: 'and', conditions: [] };
  if (Object.hasOwn(input, 'conditions')) {
    const at = pointer(path, 'conditions');
    const root = input.conditions;
    if (isObject(root) && !Object.hasOwn(root, 'logic') && !Object.hasOwn(root, 'conditions')) {
      problems.add(at, 'the root of conditions is a group: {"logic": "and", "conditions": [...]}');
      conditions = undefined;
    } else {
      const walk: Walk = { problems, inside: new Set([input]), nodes: 0, rootPath: at, overflowed: false };
      conditions = validateNode(root, at, 1, walk) as ConditionGroup | undefined;
    }
  }
  const delivery = validateDelivery(input, path, problems);
  if (problems.size !== before || !conditions) return undefined;
  const rule: Rule = { rule_id: ruleId as string, name: input.name as string, enabled: input.enabled !== false, conditions };
  if (hookTypes) rule.hook_types = hookTypes;
  if (input.once_per_session === true) rule.once_per_session = true;
  return Object.assign(rule, delivery);
}

/** channels, priority and template: where a firing goes and what it says. */
function validateDelivery(input: JsonObject, path: string, problems: ProblemList): Pick<Rule, 'channels' | 'priority' | 'template'> {
  const out: Pick<Rule, 'channels' | 'priority' | 'template'> = {};
  if (Object.hasOwn(input, 'channels')) {
    const at = pointer(path, 'channels');
    const list = input.channels;
    if (!Array.isArray(list)) problems.add(at, `expected an array of channel ids, got ${typeName(list)}`);
    else if (list.length > MAX_RULE_CHANNELS) problems.add(at, `at most ${MAX_RULE_CHANNELS} channels, got ${list.length}`);
    else {
      list.forEach((item, i) => {
        if (typeof item !== 'string' || !RULE_CHANNEL_PATTERN.test(item))
          problems.add(pointer(at, i), 'a channel id is 1 to 100 characters of A-Z a-z 0-9 _ . -');
      });
      out.channels = [...new Set(list as string[])];
    }
  }
  if (Object.hasOwn(input, 'priority')) {
    if (RULE_PRIORITIES.includes(input.priority as 'normal')) out.priority = input.priority as 'normal' | 'critical';
    else problems.add(pointer(path, 'priority'), `expected one of ${RULE_PRIORITIES.join(', ')}, got ${clip(String(input.priority))}`);
  }
  if (Object.hasOwn(input, 'template')) {
    const template = validateTemplate(input.template, pointer(path, 'template'), problems);
    if (template !== undefined) out.template = template;
  }
  return out;
}

/**
 * A message template: a string (the text) or `{title?, text?}` with at least one part, each a
 * template that parses (message-template.ts). Also checks the template of `POST /rules/preview`.
 */
export function validateTemplate(input: unknown, path: string, problems: ProblemList): RuleTemplate | undefined {
  const before = problems.size;
  if (typeof input === 'string') {
    checkTemplate(input, path, problems);
  } else if (isObject(input)) {
    refuseUnknownKeys(input, TEMPLATE_PARTS, path, problems);
    const parts = TEMPLATE_PARTS.filter((part) => Object.hasOwn(input, part));
    if (parts.length === 0 && problems.size === before) problems.add(path, 'a template object has a title, a text or both');
    for (const part of parts) {
      const at = pointer(path, part);
      if (typeof input[part] === 'string') checkTemplate(input[part], at, problems);
      else problems.add(at, `expected a non-empty string, got ${typeName(input[part])}`);
    }
  } else {
    problems.add(path, `expected a string or {title, text}, got ${typeName(input)}`);
  }
  if (problems.size !== before) return undefined;
  if (typeof input === 'string') return input;
  const parts = input as { title?: string; text?: string };
  return { ...(parts.title !== undefined ? { title: parts.title } : {}), ...(parts.text !== undefined ? { text: parts.text } : {}) };
}

function checkTemplate(text: string, path: string, problems: ProblemList): void {
  if (text.length === 0) {
    problems.add(path, 'expected a non-empty string, got an empty one');
    return;
  }
  const parsed = parseTemplate(text);
  if (!parsed.ok) problems.add(path, parsed.message);
}

function validateHookTypes(input: JsonObject, path: string, problems: ProblemList): string[] | undefined {
  if (!Object.hasOwn(input, 'hook_types')) return undefined;
  const at = pointer(path, 'hook_types');
  const list = input.hook_types;
  if (!Array.isArray(list)) {
    problems.add(at, `expected an array of hook event names, got ${typeName(list)}`);
    return undefined;
  }
  if (list.length > MAX_HOOK_TYPES) {
    problems.add(at, `at most ${MAX_HOOK_TYPES} hook types, got ${list.length}`);
    return undefined;
  }
  list.forEach((item, i) => checkString(item, MAX_HOOK_TYPE_LENGTH, pointer(at, i), problems));
  return list.slice() as string[];
}

function validateNode(input: unknown, path: string, depth: number, walk: Walk): ConditionNode | undefined {
  const { problems } = walk;
  if (!isObject(input)) {
    problems.add(path, `expected ${NODE_SHAPE}, got ${typeName(input)}`);
    return undefined;
  }
  if (walk.inside.has(input)) {
    problems.add(path, 'cycle: this object contains itself');
    return undefined;
  }
  if (++walk.nodes > MAX_RULE_NODES) {
    if (!walk.overflowed) problems.add(walk.rootPath, `a rule has at most ${MAX_RULE_NODES} conditions and groups`);
    walk.overflowed = true;
    return undefined;
  }
  const group = Object.hasOwn(input, 'logic') || Object.hasOwn(input, 'conditions');
  const condition = Object.hasOwn(input, 'field') || Object.hasOwn(input, 'operator') || Object.hasOwn(input, 'value');
  if (group && condition) {
    problems.add(path, `expected ${NODE_SHAPE}, not both`);
    return undefined;
  }
  if (!group && !condition) {
    problems.add(path, `expected ${NODE_SHAPE}`);
    return undefined;
  }
  return group ? validateGroup(input, path, depth, walk) : validateCondition(input, path, problems);
}

function validateGroup(input: JsonObject, path: string, depth: number, walk: Walk): ConditionGroup | undefined {
  const { problems } = walk;
  const before = problems.size;
  refuseUnknownKeys(input, GROUP_KEYS, path, problems);
  const logic = input.logic;
  if (!(LOGICS as readonly unknown[]).includes(logic)) {
    problems.add(pointer(path, 'logic'), logic === undefined ? 'logic is required: "and" or "or"' : 'logic is "and" or "or"');
  }
  if (depth > MAX_CONDITION_DEPTH) {
    problems.add(path, `groups nest at most ${MAX_CONDITION_DEPTH} deep`);
    return undefined;
  }
  const at = pointer(path, 'conditions');
  const list = input.conditions;
  if (!Array.isArray(list)) {
    problems.add(at, list === undefined ? 'conditions is required (an array)' : `expected an array, got ${typeName(list)}`);
    return undefined;
  }
  if (walk.inside.has(list)) {
    problems.add(at, 'cycle: this array contains itself');
    return undefined;
  }
  if (list.length > MAX_GROUP_CONDITIONS) problems.add(at, `a group has at most ${MAX_GROUP_CONDITIONS} conditions, got ${list.length}`);
  walk.inside.add(input).add(list);
  const children: ConditionNode[] = [];
  const walked = Math.min(list.length, MAX_GROUP_CONDITIONS);
  for (let i = 0; i < walked && !walk.overflowed; i++) {
    const child = validateNode(list[i], pointer(at, i), depth + 1, walk);
    if (child) children.push(child);
  }
  walk.inside.delete(input);
  walk.inside.delete(list);
  return problems.size === before ? { logic: logic as Logic, conditions: children } : undefined;
}

function validateCondition(input: JsonObject, path: string, problems: ProblemList): Condition | undefined {
  const before = problems.size;
  refuseUnknownKeys(input, CONDITION_KEYS, path, problems);
  const field = input.field;
  if (field === undefined) problems.add(pointer(path, 'field'), 'field is required');
  else if (checkString(field, MAX_FIELD_LENGTH, pointer(path, 'field'), problems)) {
    const parsed = parseFieldPath(field);
    if (!parsed.ok) problems.add(pointer(path, 'field'), parsed.message);
  }
  const operator = input.operator;
  if (typeof operator !== 'string' || !(OPERATORS as readonly string[]).includes(operator)) {
    const shown = typeof operator === 'string' ? `"${clip(operator)}"` : typeName(operator);
    problems.add(
      pointer(path, 'operator'),
      operator === undefined ? 'operator is required' : `unknown operator ${shown} (known: ${OPERATORS.join(', ')})`,
    );
    return undefined;
  }
  const value = validateValue(operator as Operator, input, path, problems);
  if (problems.size !== before) return undefined;
  const condition: Condition = { field: field as string, operator: operator as Operator };
  if (value !== undefined) condition.value = value;
  return condition;
}

function validateValue(operator: Operator, input: JsonObject, path: string, problems: ProblemList): Condition['value'] {
  const at = pointer(path, 'value');
  const present = Object.hasOwn(input, 'value');
  const value = input.value;
  if (operator === 'exists') {
    if (present && typeof value !== 'boolean') problems.add(at, `exists takes true, false or no value, got ${typeName(value)}`);
    return present ? (value as boolean) : undefined;
  }
  if (!present) {
    problems.add(at, `${operator} needs a value`);
    return undefined;
  }
  switch (operator) {
    case 'in':
    case 'not_in': {
      if (!Array.isArray(value)) {
        problems.add(at, `${operator} takes an array of values, got ${typeName(value)}`);
        return undefined;
      }
      if (value.length > MAX_VALUE_ITEMS) {
        problems.add(at, `at most ${MAX_VALUE_ITEMS} values, got ${value.length}`);
        return undefined;
      }
      value.forEach((item, i) => checkScalar(item, pointer(at, i), problems));
      return value.slice() as ConditionScalar[];
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) {
        problems.add(at, `${operator} compares with a number or a string, got ${typeName(value)}`);
      } else checkScalar(value, at, problems);
      return value as ConditionScalar;
    case 'starts_with':
    case 'ends_with':
      checkString(value, MAX_VALUE_LENGTH, at, problems);
      return value as string;
    case 'regex': {
      if (!checkString(value, MAX_VALUE_LENGTH, at, problems, 'a pattern string')) return undefined;
      const compiled = compileRuleRegex(value);
      if (!compiled.ok) problems.add(at, compiled.message);
      return value;
    }
    default:
      checkScalar(value, at, problems);
      return value as ConditionScalar;
  }
}

function checkScalar(value: unknown, path: string, problems: ProblemList): void {
  if (value === null || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return;
  if (typeof value === 'string') {
    if (value.length > MAX_VALUE_LENGTH)
      problems.add(path, `a string value has at most ${MAX_VALUE_LENGTH} characters, got ${value.length}`);
    return;
  }
  problems.add(path, `expected a string, number, boolean or null, got ${typeName(value)}`);
}
