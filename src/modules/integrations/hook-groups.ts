import { SettingsFileError, describeJson, isJsonObject, withKey, type JsonObject } from './json-settings.ts';

// Claude Code, Codex (hooks.json) and Gemini CLI share one layout:
// {"hooks": {"<Event>": [{"matcher"?: "...", "hooks": [{"type": "command", ...}]}]}}.
// This module edits it for any of them, given which entries are hookd's.

/** What install registers for one event. */
export interface HookRegistration {
  event: string;
  entry: JsonObject;
  /** Written on a group hookd creates; none matches everything. */
  matcher?: string;
}

export interface HookGroupsShape {
  /** Keys of the hooks object that are settings, not events (Gemini's older `enabled`): left as they are. */
  settingKeys?: ReadonlySet<string>;
  /** Whether an entry is hookd's: the recognition rule of the agent. */
  isHookd: (entry: unknown) => boolean;
}

export interface InstalledGroups {
  hooks: JsonObject;
  /** hookd entries found and replaced where they stood (0 on a first install). */
  replaced: number;
  /** Surplus hookd entries dropped: duplicates, or events hookd no longer registers. */
  dropped: number;
}

export interface RemovedGroups {
  hooks: JsonObject;
  /** Events hookd entries were removed from. */
  events: number;
  entries: number;
}

/** A group whose matcher selects every tool (or every source, for the events that are not tool events). */
export function matchesEverything(group: JsonObject): boolean {
  return group.matcher === undefined || group.matcher === '' || group.matcher === '*';
}

/**
 * Registers every event of `registrations`. An entry hookd wrote before is replaced where
 * it stands (so a second run is byte-identical and switching between kinds of hook swaps
 * the entries); otherwise a matcher group of its own is appended. Everything else keeps
 * its value and its key order.
 */
export function installHookGroups(hooks: JsonObject, registrations: readonly HookRegistration[], shape: HookGroupsShape): InstalledGroups {
  const ours = new Map(registrations.map((r) => [r.event, r]));
  const events: [string, unknown][] = [];
  let replaced = 0;
  let dropped = 0;
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups)) {
      events.push([event, groups]);
      continue;
    }
    const registration = ours.get(event);
    const edit = removeHookdEntries(groups, shape.isHookd, registration?.entry);
    dropped += edit.removed;
    if (edit.placed) replaced++;
    const next = registration && !edit.placed ? [...edit.groups, newMatcherGroup(registration)] : edit.groups;
    if (next.length > 0 || groups.length === 0) events.push([event, next]);
  }
  for (const registration of registrations) {
    if (!Object.hasOwn(hooks, registration.event)) events.push([registration.event, [newMatcherGroup(registration)]]);
  }
  return { hooks: Object.fromEntries(events), replaced, dropped };
}

/**
 * Removes hookd's entries and the matcher groups and event keys this leaves empty. Groups
 * and events that were empty before stay: only what hookd's removal emptied goes.
 */
export function removeHookGroups(hooks: JsonObject, shape: HookGroupsShape): RemovedGroups {
  const result: RemovedGroups = { hooks, events: 0, entries: 0 };
  const events: [string, unknown][] = [];
  for (const [event, groups] of Object.entries(hooks)) {
    if (!Array.isArray(groups)) {
      events.push([event, groups]);
      continue;
    }
    const edit = removeHookdEntries(groups, shape.isHookd);
    if (edit.removed > 0) result.events++;
    result.entries += edit.removed;
    if (edit.groups.length > 0 || edit.removed === 0) events.push([event, edit.groups]);
  }
  return result.entries === 0 ? result : { ...result, hooks: Object.fromEntries(events) };
}

/** Checks only the structure install and uninstall walk; every other value is kept unread. */
export function readHookGroups(settings: JsonObject, shape: HookGroupsShape): JsonObject | undefined {
  if (!Object.hasOwn(settings, 'hooks')) return undefined;
  const hooks = settings.hooks;
  if (!isJsonObject(hooks)) throw new SettingsFileError(`"hooks" must be an object keyed by event name, not ${describeJson(hooks)}`);
  for (const [event, groups] of Object.entries(hooks)) {
    if (shape.settingKeys?.has(event)) continue;
    if (!Array.isArray(groups))
      throw new SettingsFileError(`"hooks.${event}" must be an array of matcher groups, not ${describeJson(groups)}`);
    groups.forEach((group: unknown, i) => {
      if (!isJsonObject(group))
        throw new SettingsFileError(`"hooks.${event}[${i}]" must be a matcher group object, not ${describeJson(group)}`);
      if (Object.hasOwn(group, 'hooks') && !Array.isArray(group.hooks)) {
        throw new SettingsFileError(`"hooks.${event}[${i}].hooks" must be an array, not ${describeJson(group.hooks)}`);
      }
    });
  }
  return hooks;
}

function newMatcherGroup(registration: HookRegistration): JsonObject {
  return registration.matcher === undefined
    ? { hooks: [registration.entry] }
    : { matcher: registration.matcher, hooks: [registration.entry] };
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
function removeHookdEntries(groups: readonly unknown[], isHookd: (entry: unknown) => boolean, replacement?: JsonObject): EventEdit {
  const kept: unknown[] = [];
  let removed = 0;
  let placed = false;
  for (const group of groups) {
    if (!isJsonObject(group) || !Array.isArray(group.hooks) || !group.hooks.some(isHookd)) {
      kept.push(group);
      continue;
    }
    const mayPlace = replacement !== undefined && matchesEverything(group);
    const hooks: unknown[] = [];
    for (const hook of group.hooks) {
      if (!isHookd(hook)) hooks.push(hook);
      else if (mayPlace && !placed) {
        hooks.push(replacement);
        placed = true;
      } else removed++;
    }
    if (hooks.length > 0) kept.push(withKey(group, 'hooks', hooks));
  }
  return { groups: kept, removed, placed };
}
