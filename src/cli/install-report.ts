import { join } from 'node:path';
import { loadConfig } from '../core/config.ts';
import { hookdHome, readTokenFile, TOKEN_FILE } from '../modules/emit/emit-settings.ts';
import { isJsonObject, parseJsonSettings } from '../modules/integrations/json-settings.ts';

export interface Destination {
  /** "Claude Code". */
  agent: string;
  /** The server install pointed the hooks at; null: none. */
  url: string | null;
  /** Where that URL is written: "HOOKD_URL in ~/.claude/settings.json env". */
  urlIn: string;
  /** The settings as install left them, for a HOOKD_URL of the user's own in `env`; null: not such a file. */
  settingsText: string | null;
  /** An --http install: the hook route, and the events that run hookd emit instead. */
  http?: { url: string; commandEvents: readonly string[] };
}

/** One line saying where the agent's events will be stored, and with which token. */
export function whereEventsGo(destination: Destination): string {
  if (destination.http !== undefined) {
    const { url, commandEvents } = destination.http;
    return (
      `events go to ${url} by HTTP hooks, and from ${commandEvents.join(', ')} through hookd emit to ${destination.url} ` +
      `(${destination.urlIn}); token: HOOKD_TOKEN from the environment where ${destination.agent} runs ` +
      '(an HTTP hook cannot read $HOOKD_HOME/token)'
    );
  }
  if (destination.url !== null) return `events go to ${destination.url} (${destination.urlIn}); token: ${tokenSource()}`;
  const own = ownHookdUrl(destination.settingsText);
  if (own !== undefined)
    return `events go to ${own} (HOOKD_URL in the settings' env, which was there before install); token: ${tokenSource()}`;
  return `events go to the local database ${localDatabase()} (HOOKD_URL, where ${destination.agent} runs, overrides it)`;
}

/** Where `hookd emit` finds a token, as seen from here: the agent's environment may differ. */
function tokenSource(): string {
  if (process.env.HOOKD_TOKEN?.trim()) return 'HOOKD_TOKEN from the environment';
  const path = join(hookdHome(process.env), TOKEN_FILE);
  const problems: string[] = [];
  if (readTokenFile(path, problems) !== undefined) return path;
  return problems.length > 0 ? `none: ${problems[0]}` : 'none yet (hookd token save)';
}

/** The SQLite file emit writes without HOOKD_URL: it reads only HOOKD_ settings, as emit does. */
function localDatabase(): string {
  try {
    return loadConfig(process.env, {}, { prefixedOnly: true }).sqlitePath;
  } catch {
    return join(hookdHome(process.env), 'hookd.db');
  }
}

function ownHookdUrl(text: string | null): string | undefined {
  if (text === null) return undefined;
  const env = parseJsonSettings(text).env;
  return isJsonObject(env) && typeof env.HOOKD_URL === 'string' ? env.HOOKD_URL : undefined;
}
