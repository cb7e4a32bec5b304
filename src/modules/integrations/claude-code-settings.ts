import { AppError } from '../../core/app-error.ts';
import {
  CLAUDE_CODE_EVENTS,
  claudeCodeHookEntry,
  isHookdEntry,
  isJsonObject,
  matchesEverything,
  newMatcherGroup,
  type HookTarget,
  type JsonObject,
} from './claude-code-hook-entry.ts';

export interface InstallSummary {
  /** Events hookd is now registered for. */
  events: number;
  /** hookd entries found and replaced where they stood (0 on a first install). */
  replaced: number;
  /** Surplus hookd entries dropped: duplicates, or events hookd no longer registers. */
  dropped: number;
}

export interface UninstallSummary {
  /** Events hookd entries were removed from. */
  events: number;
  entries: number;
}

/** A settings file hookd will not edit; the message names the problem, the caller adds the file. */
export class ClaudeCodeSettingsError extends AppError {
  constructor(problem: string) {
    super('invalid_claude_code_settings', problem, 400);
  }
}

/** Strict JSON: Claude Code's own writes are plain JSON, and a comment could not survive a rewrite. */
export function parseClaudeCodeSettings(text: string): JsonObject {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    // V8 quotes a piece of the text, which may be an API key from `env`: keep only the position.
    const reason = String((error as Error).message).replace(/, ".*" is not valid JSON$/s, '');
    throw new ClaudeCodeSettingsError(
      `not valid JSON (${reason}); comments and trailing commas are not supported in settings.json, remove them and run again`,
    );
  }
  if (!isJsonObject(value)) throw new ClaudeCodeSettingsError(`the top level must be a JSON object, not ${describe(value)}`);
  return value;
}

/** Claude Code's own layout: two spaces, a final newline. */
export function serializeClaudeCodeSettings(settings: JsonObject): string {
  return `${JSON.stringify(settings, null, 2)}\n`;
}

/**
 * Registers hookd for every event in CLAUDE_CODE_EVENTS. An entry hookd wrote before is
 * replaced where it stands (so a second run is byte-identical and switching between
 * command and http swaps the entries); otherwise a matcher group of its own is appended.
 * Everything else keeps its value and its key order.
 */
export function installClaudeCodeHooks(settings: JsonObject, target: HookTarget): { settings: JsonObject; summary: InstallSummary } {
  const hooks = readHooks(settings) ?? {};
  const entry = (event: string) => claudeCodeHookEntry(target, event);
  const ours: ReadonlySet<string> = new Set(CLAUDE_CODE_EVENTS);
  const events: [string, unknown][] = [];
  let replaced = 0;
  let dropped = 0;
  for (const [event, groups] of Object.entries(hooks) as [string, unknown[]][]) {
    const edit = removeHookdEntries(groups, ours.has(event) ? entry(event) : undefined);
    dropped += edit.removed;
    if (edit.placed) replaced++;
    const next = ours.has(event) && !edit.placed ? [...edit.groups, newMatcherGroup(event, entry(event))] : edit.groups;
    if (next.length > 0 || groups.length === 0) events.push([event, next]);
  }
  for (const event of CLAUDE_CODE_EVENTS) {
    if (!Object.hasOwn(hooks, event)) events.push([event, [newMatcherGroup(event, entry(event))]]);
  }
  return {
    settings: withKey(settings, 'hooks', Object.fromEntries(events)),
    summary: { events: CLAUDE_CODE_EVENTS.length, replaced, dropped },
  };
}

/**
 * Removes hookd's entries, the matcher groups and event keys that this leaves empty, and
 * `hooks` itself when nothing else is left in it. Groups and events that were empty
 * before stay: only what hookd's removal emptied goes. A `hooks: {}` that existed before
 * install cannot be told from one install created, so it goes too.
 */
export function uninstallClaudeCodeHooks(settings: JsonObject): { settings: JsonObject; summary: UninstallSummary } {
  const hooks = readHooks(settings);
  const summary: UninstallSummary = { events: 0, entries: 0 };
  if (hooks === undefined) return { settings, summary };
  const events: [string, unknown][] = [];
  for (const [event, groups] of Object.entries(hooks) as [string, unknown[]][]) {
    const edit = removeHookdEntries(groups);
    if (edit.removed > 0) summary.events++;
    summary.entries += edit.removed;
    if (edit.groups.length > 0 || edit.removed === 0) events.push([event, edit.groups]);
  }
  if (summary.entries === 0) return { settings, summary };
  if (events.length === 0) return { settings: Object.fromEntries(Object.entries(settings).filter(([key]) => key !== 'hooks')), summary };
  return { settings: withKey(settings, 'hooks', Object.fromEntries(events)), summary };
}

interface EventEdit {
  groups: unknown[];
  removed: number;
  placed: boolean;
}

/**
 * Drops hookd's entries from one event's matcher groups, and the groups this empties.
 * With `replacement`, the first hookd entry in a group matching everything is replaced
 * in place instead: a user's own hooks beside it in that group keep their order.
 */
function removeHookdEntries(groups: readonly unknown[], replacement?: JsonObject): EventEdit {
  const kept: unknown[] = [];
  let removed = 0;
  let placed = false;
  for (const group of groups) {
    if (!isJsonObject(group) || !Array.isArray(group.hooks) || !group.hooks.some(isHookdEntry)) {
      kept.push(group);
      continue;
    }
    const mayPlace = replacement !== undefined && matchesEverything(group);
    const hooks: unknown[] = [];
    for (const hook of group.hooks) {
      if (!isHookdEntry(hook)) hooks.push(hook);
      else if (mayPlace && !placed) {
        hooks.push(replacement);
        placed = true;
      } else removed++;
    }
    if (hooks.length > 0) kept.push(withKey(group, 'hooks', hooks));
  }
  return { groups: kept, removed, placed };
}

/** Checks only the structure install and uninstall walk; every other value is kept unread. */
function readHooks(settings: JsonObject): JsonObject | undefined {
  if (!Object.hasOwn(settings, 'hooks')) return undefined;
  const hooks = settings.hooks;
  if (!isJsonObject(hooks)) throw new ClaudeCodeSettingsError(`"hooks" must be an object keyed by event name, not ${describe(hooks)}`);
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups))
      throw new ClaudeCodeSettingsError(`"hooks.${event}" must be an array of matcher groups, not ${describe(groups)}`);
    groups.forEach((group: unknown, i) => {
      if (!isJsonObject(group))
        throw new ClaudeCodeSettingsError(`"hooks.${event}[${i}]" must be a matcher group object, not ${describe(group)}`);
      if (Object.hasOwn(group, 'hooks') && !Array.isArray(group.hooks)) {
        throw new ClaudeCodeSettingsError(`"hooks.${event}[${i}].hooks" must be an array, not ${describe(group.hooks)}`);
      }
    });
  }
  return hooks;
}

/**
 * A copy with one key set: in its old place when present, else last. Built with
 * Object.fromEntries, which defines keys, so a `__proto__` key from JSON stays a key.
 */
function withKey(object: JsonObject, key: string, value: unknown): JsonObject {
  const entries = Object.entries(object).map(([k, v]): [string, unknown] => [k, k === key ? value : v]);
  if (!Object.hasOwn(object, key)) entries.push([key, value]);
  return Object.fromEntries(entries);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
