/**
 * A team's notification rule, as stored in its configuration (wire names). What each operator
 * means, and what a missing field does, is documented once at the top of rule-compiler.ts.
 */
import type { CanonicalEvent } from '../events/event.ts';
import type { Session } from '../sessions/session.ts';

export const OPERATORS = [
  'equals',
  'not_equals',
  'contains',
  'not_contains',
  'in',
  'not_in',
  'gt',
  'gte',
  'lt',
  'lte',
  'exists',
  'starts_with',
  'ends_with',
  'regex',
] as const;
export type Operator = (typeof OPERATORS)[number];

export const LOGICS = ['and', 'or'] as const;
export type Logic = (typeof LOGICS)[number];

/** What a condition compares with: JSON primitives only, so equality never depends on object identity. */
export type ConditionScalar = string | number | boolean | null;

export interface Condition {
  /** Dot path rooted at `event`, `data` (= event.data) or `session`; see field-path.ts. */
  field: string;
  operator: Operator;
  /** An array for in/not_in, a boolean or nothing for exists, a scalar otherwise. */
  value?: ConditionScalar | ConditionScalar[];
}

export interface ConditionGroup {
  logic: Logic;
  conditions: ConditionNode[];
}

export type ConditionNode = Condition | ConditionGroup;

export interface Rule {
  rule_id: string;
  name: string;
  /** Hook events the rule listens to; empty or absent = every event. */
  hook_types?: string[];
  /** Absent = true. */
  enabled?: boolean;
  /**
   * Fires at most once per session: the first event that matches fires it, later ones of the
   * same session do not (a threshold such as `session.cost_usd gte 5` stays true once crossed).
   */
  once_per_session?: boolean;
  conditions: ConditionGroup;
  /** Channel ids a firing sends to; absent: the team's default channel for the event's kind. */
  channels?: string[];
  /** Absent = normal. Critical messages stand out (and, with quiet hours, get through). */
  priority?: 'normal' | 'critical';
  /**
   * The message instead of the built-in one, in Mustache (message-template.ts): a string is the
   * text (`{{data.tool_name}} failed in {{session.project}}`); an object may also give the title.
   */
  template?: RuleTemplate;
}

/** A rule's message template: the text alone, or a title and a text (at least one of them). */
export type RuleTemplate = string | { title?: string; text?: string };
export const TEMPLATE_PARTS = ['title', 'text'] as const;

export const RULE_PRIORITIES = ['normal', 'critical'] as const;
/** As a channel's id (channels/channel-service.ts). */
export const RULE_CHANNEL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
export const MAX_RULE_CHANNELS = 20;

export const isConditionGroup = (node: ConditionNode): node is ConditionGroup => 'logic' in node;

/** What one evaluation sees. Extra properties are ignored; only own properties are ever read. */
export interface RuleContext {
  event: CanonicalEvent | Readonly<Record<string, unknown>>;
  session?: Session | Readonly<Record<string, unknown>> | null;
}

export interface FiredRule {
  ruleId: string;
  name: string;
  rule: Rule;
}

// Limits. They bound what one configuration costs to store, compile and evaluate per event;
// each is far above what a hand-written configuration needs.

export const RULE_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,100}$/;
export const MAX_RULE_NAME_LENGTH = 200;
/** Hook type names, like event_type: 1-100 characters. */
export const MAX_HOOK_TYPE_LENGTH = 100;
export const MAX_HOOK_TYPES = 100;
/** Group nesting: the rule's own `conditions` group is depth 1. */
export const MAX_CONDITION_DEPTH = 8;
export const MAX_GROUP_CONDITIONS = 100;
/** Conditions and groups of one rule, its root group included. */
export const MAX_RULE_NODES = 1_000;
/** Any string a condition holds (a value, an item of an in/not_in list). */
export const MAX_VALUE_LENGTH = 4_096;
export const MAX_VALUE_ITEMS = 1_000;
export const MAX_FIELD_LENGTH = 500;
export const MAX_FIELD_SEGMENTS = 32;
export const MAX_REGEX_LENGTH = 1_000;
/**
 * re2js instructions of one compiled pattern. Matching is linear in the input, but the factor
 * is the program size: `.{1000}.{1000}.{1000}` (3,000 instructions) is slow on a large field.
 */
export const MAX_REGEX_PROGRAM = 1_000;
