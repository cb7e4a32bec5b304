import { isHookdCommandEntry } from './command-hook-entry.ts';
import type { ConfigFileEdit } from './config-file-edit.ts';
import { installHookGroups, readHookGroups, type HookGroupsShape } from './hook-groups.ts';
import { stripHookGroups } from './strip-hook-groups.ts';

import { jsonFormatOf, parseJsonSettings, serializeJsonSettings, withKey } from './json-settings.ts';

export interface CodexEvent {
  name: string;
  /** Seconds. */
  timeout: number;
}

/**
 * Codex's hook events hookd registers: all of them, since none needs an answer from
 * hookd. Codex ignores event names it does not know, so SessionEnd and Interrupt (newer
 * than the rest) cost an older Codex nothing. No matcher: omitted matches everything in
 * every version, where `"*"` is a regex only newer ones special-case.
 */
export const CODEX_EVENTS: readonly CodexEvent[] = [
  { name: 'SessionStart', timeout: 10 },
  { name: 'UserPromptSubmit', timeout: 10 },
  { name: 'PreToolUse', timeout: 10 },
  { name: 'PermissionRequest', timeout: 10 },
  { name: 'PostToolUse', timeout: 10 },
  { name: 'PreCompact', timeout: 10 },
  { name: 'PostCompact', timeout: 10 },
  { name: 'SubagentStart', timeout: 10 },
  { name: 'SubagentStop', timeout: 10 },
  { name: 'Stop', timeout: 10 },
  // Codex allows these two at most 3 s.
  { name: 'Interrupt', timeout: 3 },
  { name: 'SessionEnd', timeout: 3 },
];

const SHAPE: HookGroupsShape = { isHookd: isHookdCommandEntry };

/**
 * Codex's hooks.json as `hookd install codex` edits it. The hooks wait (no `async`):
 * Codex versions that predate background hooks skip an `async` hook altogether, and
 * newer ones cancel background hooks still running when the session ends.
 */
export function codexHooksFileEdit(file: string, command: string): ConfigFileEdit {
  return {
    agent: 'codex',
    file,
    install(current) {
      const settings = parseJsonSettings(current ?? '', 'hooks.json');
      const hooks = readHookGroups(settings, SHAPE) ?? {};
      const registrations = CODEX_EVENTS.map((e) => ({ event: e.name, entry: { type: 'command', command, timeout: e.timeout } }));
      const installed = installHookGroups(hooks, registrations, SHAPE);
      const count = `${registrations.length} Codex hook events`;
      return {
        text: serializeJsonSettings(withKey(settings, 'hooks', installed.hooks), jsonFormatOf(current)),
        done: `registered hookd for ${count}`,
        unchanged: `hookd is already registered for ${count}`,
        url: null,
        notes: [],
      };
    },
    strip(current, record) {
      return stripHookGroups(current, record, SHAPE, 'Codex', 'hooks.json');
    },
  };
}
