import type { InstallRecord } from './install-record.ts';
import { isJsonObject, parseJsonSettings, type JsonObject } from './json-settings.ts';

/**
 * What an edit of a JSON settings file knows of hookd's earlier install there, from
 * its record: which keys install created (and so may remove again) and the HOOKD_URL
 * it wrote.
 */
export interface InstallHistory {
  /** The settings before hookd's first install; null: there was no file; undefined: unknown (no record). */
  before: JsonObject | null | undefined;
  /** The HOOKD_URL install wrote into `env` last; null: none, or unknown. */
  url: string | null;
}

export const NO_HISTORY: InstallHistory = { before: undefined, url: null };

export function installHistory(record: InstallRecord | null): InstallHistory {
  if (record === null) return NO_HISTORY;
  let before: JsonObject | null | undefined = null;
  if (record.before !== null) {
    try {
      before = parseJsonSettings(record.before);
    } catch {
      before = undefined;
    }
  }
  return { before, url: record.url };
}

/**
 * Whether a key that hookd's removal left empty goes too: only when install created it.
 * Without a record nobody knows, and the key goes, as a file hookd never touched has
 * nothing of hookd's to empty it.
 */
export function installCreated(history: InstallHistory, key: string): boolean {
  return history.before === undefined || history.before === null || !Object.hasOwn(history.before, key);
}

/** The value a variable of `env` had before install, if any. */
export function envBefore(history: InstallHistory, name: string): unknown {
  const env = history.before?.env;
  return isJsonObject(env) ? env[name] : undefined;
}
