import { claudeCodeEventsFor } from './claude-code-events.ts';
import { withoutTelemetry, withTelemetry } from './claude-code-telemetry.ts';
import { claudeCodeHookEntry, isHookdEntry, type HookTarget } from './claude-code-hook-entry.ts';
import { installHookGroups, readHookGroups, removeHookGroups, type HookGroupsShape } from './hook-groups.ts';
import { envBefore, installCreated, NO_HISTORY, type InstallHistory } from './install-history.ts';
import { withKey, withoutKey, type JsonObject } from './json-settings.ts';
import { HOOKD_URL_VARIABLE, readSettingsEnv, withEnvVariable, withoutEnvVariable } from './settings-env.ts';

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
  /** env.HOOKD_URL as install wrote it was removed. */
  removedUrl: boolean;
}

const SHAPE: HookGroupsShape = { isHookd: isHookdEntry };

/**
 * Registers hookd for every event in CLAUDE_CODE_EVENTS that the target's Claude Code
 * version accepts (an event it does not know would make it skip the whole file) and, with a server URL, sets
 * `env.HOOKD_URL` so every command hook's `hookd emit` posts there. Without one, a
 * HOOKD_URL an earlier install wrote goes, so events go to the local database again.
 * Everything else keeps its value and its key order.
 */
export function installClaudeCodeHooks(
  settings: JsonObject,
  target: HookTarget,
  url: string | null = null,
  history: InstallHistory = NO_HISTORY,
  /** `--telemetry`: Claude Code's OpenTelemetry export to `url`, with this headers helper. */
  telemetry: { headersHelper: string } | null = null,
): { settings: JsonObject; summary: InstallSummary } {
  readSettingsEnv(settings);
  const hooks = readHookGroups(settings, SHAPE) ?? {};
  const registrations = claudeCodeEventsFor(target.version ?? null).map((event) => ({
    event: event.name,
    entry: claudeCodeHookEntry(target, event),
    matcher: event.matcher,
  }));
  const { hooks: next, replaced, dropped } = installHookGroups(hooks, registrations, SHAPE);
  let result = withKey(settings, 'hooks', next);
  result =
    telemetry !== null && url !== null ? withTelemetry(result, url, telemetry.headersHelper, history) : withoutTelemetry(result, history);
  if (url !== null) result = withEnvVariable(result, HOOKD_URL_VARIABLE, url);
  else result = withoutHookdUrl(result, history);
  return { settings: result, summary: { events: registrations.length, replaced, dropped } };
}

/**
 * Removes hookd's entries, the matcher groups and event keys that this leaves empty,
 * the HOOKD_URL install wrote, and `hooks` and `env` when install created them and
 * nothing else is left in them.
 */
export function uninstallClaudeCodeHooks(
  settings: JsonObject,
  history: InstallHistory = NO_HISTORY,
): { settings: JsonObject; summary: UninstallSummary } {
  readSettingsEnv(settings);
  const hooks = readHookGroups(settings, SHAPE);
  let result = settings;
  const summary: UninstallSummary = { events: 0, entries: 0, removedUrl: false };
  if (hooks !== undefined) {
    const removed = removeHookGroups(hooks, SHAPE);
    summary.events = removed.events;
    summary.entries = removed.entries;
    if (removed.entries > 0) {
      const empty = Object.keys(removed.hooks).length === 0;
      result = empty && installCreated(history, 'hooks') ? withoutKey(result, 'hooks') : withKey(result, 'hooks', removed.hooks);
    }
  }
  const withoutExport = withoutTelemetry(result, history);
  const withoutUrl = withoutHookdUrl(withoutExport, history);
  summary.removedUrl = withoutUrl !== result;
  return { settings: withoutUrl, summary };
}

/**
 * Takes back the HOOKD_URL install wrote, while it still holds what install wrote: the
 * user's own value from before install comes back, else the variable goes.
 */
function withoutHookdUrl(settings: JsonObject, history: InstallHistory): JsonObject {
  if (history.url === null || readSettingsEnv(settings)?.[HOOKD_URL_VARIABLE] !== history.url) return settings;
  const own = envBefore(history, HOOKD_URL_VARIABLE);
  if (own === history.url) return settings;
  if (own !== undefined) return withEnvVariable(settings, HOOKD_URL_VARIABLE, own);
  return withoutEnvVariable(settings, HOOKD_URL_VARIABLE, history.url, installCreated(history, 'env'));
}
