import { isHookdCommandEntry } from './command-hook-entry.ts';
import type { ConfigFileEdit } from './config-file-edit.ts';
import { installHookGroups, readHookGroups, type HookGroupsShape } from './hook-groups.ts';
import { stripHookGroups } from './strip-hook-groups.ts';

import { isJsonObject, jsonFormatOf, parseJsonSettings, serializeJsonSettings, withKey, type JsonObject } from './json-settings.ts';

export interface GeminiEvent {
  name: string;
  matcher?: string;
}

/**
 * Gemini CLI's hook events hookd registers. Gemini waits for every hook (it has no
 * background hooks), so each costs the agent one `hookd emit` start per event.
 */
export const GEMINI_EVENTS: readonly GeminiEvent[] = [
  { name: 'SessionStart' },
  { name: 'BeforeAgent' },
  { name: 'BeforeModel' },
  { name: 'BeforeToolSelection' },
  { name: 'BeforeTool', matcher: '*' },
  { name: 'AfterTool', matcher: '*' },
  { name: 'AfterAgent' },
  { name: 'PreCompress' },
  { name: 'Notification' },
  { name: 'SessionEnd' },
];

/** Gemini CLI events hookd does not register, and why. */
export const GEMINI_UNREGISTERED_EVENTS: readonly { name: string; reason: string }[] = [
  {
    name: 'AfterModel',
    reason:
      'fires for every streamed chunk of a model response and Gemini waits for each hook: a process per chunk slows the stream, and AfterAgent carries the response',
  },
];

/** Gemini's hook timeout is in milliseconds. */
export const GEMINI_TIMEOUT_MS = 10_000;

// Older Gemini versions kept settings of the hooks system inside `hooks` itself.
const SHAPE: HookGroupsShape = { isHookd: isHookdCommandEntry, settingKeys: new Set(['enabled', 'disabled', 'notifications']) };

/** A Gemini CLI settings.json as `hookd install gemini` edits it. */
export function geminiFileEdit(file: string, command: string): ConfigFileEdit {
  return {
    agent: 'gemini',
    file,
    install(current) {
      const settings = parseJsonSettings(current ?? '');
      const hooks = readHookGroups(settings, SHAPE) ?? {};
      // `name` lets the user switch hookd's hooks off in Gemini (/hooks disable hookd) without uninstalling.
      const entry = { name: 'hookd', type: 'command', command, timeout: GEMINI_TIMEOUT_MS };
      const registrations = GEMINI_EVENTS.map((e) => ({ event: e.name, entry, matcher: e.matcher }));
      const installed = installHookGroups(hooks, registrations, SHAPE);
      const count = `${registrations.length} Gemini CLI hook events`;
      return {
        text: serializeJsonSettings(withKey(settings, 'hooks', installed.hooks), jsonFormatOf(current)),
        done: `registered hookd for ${count}`,
        unchanged: `hookd is already registered for ${count}`,
        url: null,
        notes: hooksOff(settings).map(
          (setting) => `${file} turns Gemini CLI hooks off (${setting}): hookd's hooks will not run until it is true`,
        ),
      };
    },
    strip(current, record) {
      return stripHookGroups(current, record, SHAPE, 'Gemini CLI');
    },
  };
}

/** The switches, current and older, that keep Gemini from running any hook. */
function hooksOff(settings: JsonObject): string[] {
  const off: string[] = [];
  const at = (object: unknown, key: string) => (isJsonObject(object) ? object[key] : undefined);
  if (at(settings.hooksConfig, 'enabled') === false) off.push('hooksConfig.enabled: false');
  if (at(settings.tools, 'enableHooks') === false) off.push('tools.enableHooks: false');
  if (at(settings.hooks, 'enabled') === false) off.push('hooks.enabled: false');
  return off;
}
