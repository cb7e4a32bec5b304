import type { StripOutcome } from './config-file-edit.ts';
import { readHookGroups, removeHookGroups, type HookGroupsShape } from './hook-groups.ts';
import { installCreated, installHistory } from './install-history.ts';
import type { InstallRecord } from './install-record.ts';
import { jsonFormatOf, parseJsonSettings, serializeJsonSettings, withKey, withoutKey } from './json-settings.ts';

/**
 * The structural uninstall of a JSON file whose `hooks` holds matcher groups (Codex's
 * hooks.json, Gemini CLI's settings.json): hookd's entries go, and `hooks` too when install
 * created it and nothing else is left in it; the file keeps its own layout.
 */
export function stripHookGroups(
  current: string,
  record: InstallRecord | null,
  shape: HookGroupsShape,
  agent: string,
  fileName?: string,
): StripOutcome {
  const settings = parseJsonSettings(current, fileName);
  const hooks = readHookGroups(settings, shape);
  const removed = hooks === undefined ? undefined : removeHookGroups(hooks, shape);
  if (removed === undefined || removed.entries === 0) return { text: current, done: '', unchanged: 'no hookd hooks found' };
  const empty = Object.keys(removed.hooks).length === 0;
  const next =
    empty && installCreated(installHistory(record), 'hooks') ? withoutKey(settings, 'hooks') : withKey(settings, 'hooks', removed.hooks);
  return {
    text: serializeJsonSettings(next, jsonFormatOf(current)),
    done: `removed hookd from ${removed.events} ${agent} hook event${removed.events === 1 ? '' : 's'}`,
    unchanged: 'no hookd hooks found',
  };
}
