/**
 * A team's configuration (seed 000's `configuration` JSON, wire names): channels, notification
 * preferences, which events the team claims, and its rules. validateTeamConfiguration checks
 * a whole document and lists every problem at its JSON Pointer; what it returns is a fresh,
 * normalized copy (defaults filled in), never the input.
 */
import {
  checkString,
  clip,
  isObject,
  pointer,
  ProblemList,
  refuseUnknownKeys,
  typeName,
  type JsonObject,
  type ValidationProblem,
} from '../rules/problem-list.ts';
import type { Rule } from '../rules/rule.ts';
import { validateRule } from '../rules/rule-validator.ts';

export interface QuietHours {
  enabled: boolean;
  /** "HH:MM", 24-hour; a window may cross midnight (22:00-08:00). */
  start: string;
  end: string;
  /** IANA name; default "UTC". */
  time_zone: string;
}

export interface NotificationPreferences {
  /** Notifications gathered into one message once this many wait: 1..1000. */
  batch_threshold: number;
  /** ... or once the oldest waited this long: 0..1440. */
  batch_timeout_minutes: number;
  quiet_hours: QuietHours;
}

/** Events without a team_id belong to the team claiming their session's project or their source. */
export interface TeamClaims {
  projects: string[];
  sources: string[];
}

export interface TeamConfiguration {
  team_name?: string;
  /** Free-form, the team's own; hookd counts saves in the stored revision instead. */
  version?: string;
  /** Event kind -> channel name. */
  default_channels: Record<string, string>;
  notification_preferences: NotificationPreferences;
  claims?: TeamClaims;
  rules: Rule[];
}

export const MAX_RULES = 200;
export const MAX_TEAM_NAME_LENGTH = 200;
export const MAX_VERSION_LENGTH = 100;
export const MAX_CHANNELS = 100;
export const MAX_CHANNEL_KIND_LENGTH = 100;
export const MAX_CHANNEL_NAME_LENGTH = 200;
export const MAX_CLAIMS = 1_000;
export const MAX_PROJECT_LENGTH = 1_000;
/** As an event's `source`. */
export const MAX_SOURCE_LENGTH = 100;
export const MAX_BATCH_THRESHOLD = 1_000;
export const MAX_BATCH_TIMEOUT_MINUTES = 1_440;

/**
 * What a team without a saved configuration gets: no rules (so nothing fires), no channels,
 * notifications batched by 3 or after 5 minutes, and quiet hours 22:00-08:00 UTC, disabled.
 */
export const DEFAULT_TEAM_CONFIGURATION: Readonly<TeamConfiguration> = deepFreeze({
  default_channels: {},
  notification_preferences: {
    batch_threshold: 3,
    batch_timeout_minutes: 5,
    quiet_hours: { enabled: false, start: '22:00', end: '08:00', time_zone: 'UTC' },
  },
  rules: [],
});

/** A fresh, mutable copy of the default; with a team id, named after it. */
export function defaultTeamConfiguration(teamId?: string): TeamConfiguration {
  const copy = structuredClone(DEFAULT_TEAM_CONFIGURATION) as TeamConfiguration;
  if (teamId !== undefined) copy.team_name = teamId;
  return copy;
}

export type TeamConfigurationResult = { ok: true; value: TeamConfiguration } | { ok: false; problems: ValidationProblem[] };

const TOP_KEYS = ['team_name', 'version', 'default_channels', 'notification_preferences', 'claims', 'rules'];
const PREFERENCE_KEYS = ['batch_threshold', 'batch_timeout_minutes', 'quiet_hours'];
const QUIET_KEYS = ['enabled', 'start', 'end', 'time_zone'];
const CLAIM_KEYS = ['projects', 'sources'];
const HH_MM = /^(?:[01][0-9]|2[0-3]):[0-5][0-9]$/;

export function validateTeamConfiguration(input: unknown): TeamConfigurationResult {
  const problems = new ProblemList();
  if (!isObject(input)) {
    problems.add('', `expected a configuration object, got ${typeName(input)}`);
    return { ok: false, problems: problems.list() };
  }
  let value: TeamConfiguration | undefined;
  try {
    value = validateDocument(input, problems);
  } catch {
    // Only a JS-built object can throw here (a getter, a Proxy); JSON never does.
    problems.add('', 'the configuration could not be read as JSON data');
  }
  return value && problems.size === 0 ? { ok: true, value } : { ok: false, problems: problems.list() };
}

function validateDocument(input: JsonObject, problems: ProblemList): TeamConfiguration {
  refuseUnknownKeys(input, TOP_KEYS, '', problems);
  const out = defaultTeamConfiguration();
  if (Object.hasOwn(input, 'team_name') && checkString(input.team_name, MAX_TEAM_NAME_LENGTH, '/team_name', problems))
    out.team_name = input.team_name;
  if (Object.hasOwn(input, 'version') && checkString(input.version, MAX_VERSION_LENGTH, '/version', problems)) out.version = input.version;
  if (Object.hasOwn(input, 'default_channels')) out.default_channels = channels(input.default_channels, problems);
  if (Object.hasOwn(input, 'notification_preferences')) preferences(input.notification_preferences, out.notification_preferences, problems);
  if (Object.hasOwn(input, 'claims')) out.claims = claims(input.claims, problems);
  if (Object.hasOwn(input, 'rules')) out.rules = rules(input.rules, problems);
  return out;
}

function channels(input: unknown, problems: ProblemList): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(input)) {
    problems.add('/default_channels', `expected an object of event kind -> channel name, got ${typeName(input)}`);
    return out;
  }
  const keys = Object.keys(input);
  if (keys.length > MAX_CHANNELS) problems.add('/default_channels', `at most ${MAX_CHANNELS} channels, got ${keys.length}`);
  for (const key of keys.slice(0, MAX_CHANNELS)) {
    const at = pointer('/default_channels', key);
    // Assigning "__proto__" would set the copy's prototype instead of adding a key.
    if (key === '__proto__') problems.add(at, '"__proto__" is not allowed as an event kind');
    else if (key.length === 0 || key.length > MAX_CHANNEL_KIND_LENGTH)
      problems.add(at, `an event kind has 1 to ${MAX_CHANNEL_KIND_LENGTH} characters`);
    else if (checkString(input[key], MAX_CHANNEL_NAME_LENGTH, at, problems, 'a channel name')) out[key] = input[key];
  }
  return out;
}

function preferences(input: unknown, out: NotificationPreferences, problems: ProblemList): void {
  const at = '/notification_preferences';
  if (!isObject(input)) {
    problems.add(at, `expected an object, got ${typeName(input)}`);
    return;
  }
  refuseUnknownKeys(input, PREFERENCE_KEYS, at, problems);
  if (Object.hasOwn(input, 'batch_threshold')) {
    const n = input.batch_threshold;
    if (Number.isInteger(n) && (n as number) >= 1 && (n as number) <= MAX_BATCH_THRESHOLD) out.batch_threshold = n as number;
    else problems.add(`${at}/batch_threshold`, `expected an integer from 1 to ${MAX_BATCH_THRESHOLD}, got ${shown(n)}`);
  }
  if (Object.hasOwn(input, 'batch_timeout_minutes')) {
    const n = input.batch_timeout_minutes;
    if (typeof n === 'number' && n >= 0 && n <= MAX_BATCH_TIMEOUT_MINUTES) out.batch_timeout_minutes = n;
    else problems.add(`${at}/batch_timeout_minutes`, `expected a number from 0 to ${MAX_BATCH_TIMEOUT_MINUTES}, got ${shown(n)}`);
  }
  if (Object.hasOwn(input, 'quiet_hours')) quietHours(input.quiet_hours, out.quiet_hours, problems);
}

function quietHours(input: unknown, out: QuietHours, problems: ProblemList): void {
  const at = '/notification_preferences/quiet_hours';
  if (!isObject(input)) {
    problems.add(at, `expected an object, got ${typeName(input)}`);
    return;
  }
  refuseUnknownKeys(input, QUIET_KEYS, at, problems);
  if (Object.hasOwn(input, 'enabled')) {
    if (typeof input.enabled === 'boolean') out.enabled = input.enabled;
    else problems.add(`${at}/enabled`, `expected a boolean, got ${typeName(input.enabled)}`);
  }
  for (const key of ['start', 'end'] as const) {
    if (!Object.hasOwn(input, key)) continue;
    const time = input[key];
    if (typeof time === 'string' && HH_MM.test(time)) out[key] = time;
    else problems.add(`${at}/${key}`, `expected a time "HH:MM" from 00:00 to 23:59, got ${shown(time)}`);
  }
  if (out.start === out.end) problems.add(`${at}/end`, 'end must differ from start: an empty or whole-day window is ambiguous');
  if (Object.hasOwn(input, 'time_zone')) {
    const zone = input.time_zone;
    if (checkString(zone, 100, `${at}/time_zone`, problems, 'an IANA time zone name')) {
      if (isTimeZone(zone)) out.time_zone = zone;
      else problems.add(`${at}/time_zone`, `unknown time zone "${zone}" (an IANA name such as "Europe/Paris" or "UTC")`);
    }
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone });
    return true;
  } catch (err) {
    if (err instanceof RangeError) return false;
    throw err;
  }
}

function claims(input: unknown, problems: ProblemList): TeamClaims {
  const out: TeamClaims = { projects: [], sources: [] };
  if (!isObject(input)) {
    problems.add('/claims', `expected an object {projects, sources}, got ${typeName(input)}`);
    return out;
  }
  refuseUnknownKeys(input, CLAIM_KEYS, '/claims', problems);
  for (const [key, max] of [
    ['projects', MAX_PROJECT_LENGTH],
    ['sources', MAX_SOURCE_LENGTH],
  ] as const) {
    if (!Object.hasOwn(input, key)) continue;
    const at = `/claims/${key}`;
    const list = input[key];
    if (!Array.isArray(list)) problems.add(at, `expected an array of strings, got ${typeName(list)}`);
    else if (list.length > MAX_CLAIMS) problems.add(at, `at most ${MAX_CLAIMS} items, got ${list.length}`);
    else list.forEach((item, i) => checkString(item, max, pointer(at, i), problems) && out[key].push(item));
  }
  return out;
}

function rules(input: unknown, problems: ProblemList): Rule[] {
  const out: Rule[] = [];
  if (!Array.isArray(input)) {
    problems.add('/rules', `expected an array of rules, got ${typeName(input)}`);
    return out;
  }
  if (input.length > MAX_RULES) problems.add('/rules', `at most ${MAX_RULES} rules, got ${input.length}`);
  const firstAt = new Map<string, number>();
  for (let i = 0; i < Math.min(input.length, MAX_RULES); i++) {
    const item: unknown = input[i];
    const rule = validateRule(item, pointer('/rules', i), problems);
    if (rule) out.push(rule);
    const id = isObject(item) ? item.rule_id : undefined;
    if (typeof id !== 'string') continue;
    const first = firstAt.get(id);
    if (first === undefined) firstAt.set(id, i);
    else problems.add(`/rules/${i}/rule_id`, `duplicate rule_id "${clip(id)}" (also /rules/${first})`);
  }
  return out;
}

function shown(value: unknown): string {
  return typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : typeof value === 'string'
      ? JSON.stringify(value.slice(0, 20))
      : typeName(value);
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) if (typeof child === 'object' && child !== null) deepFreeze(child);
  return Object.freeze(value);
}
