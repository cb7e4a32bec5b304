import { SettingsFileError, describeJson, isJsonObject, withKey, withoutKey, type JsonObject } from './json-settings.ts';

/** The variable install writes into the settings' `env`, so every command hook posts to the server. */
export const HOOKD_URL_VARIABLE = 'HOOKD_URL';

/** The settings' `env` object, checked; undefined when there is none. */
export function readSettingsEnv(settings: JsonObject): JsonObject | undefined {
  if (!Object.hasOwn(settings, 'env')) return undefined;
  if (!isJsonObject(settings.env)) throw new SettingsFileError(`"env" must be an object of variables, not ${describeJson(settings.env)}`);
  return settings.env;
}

/** Sets one variable of `env`, in its place when present, else last; `env` itself is created last when missing. */
export function withEnvVariable(settings: JsonObject, name: string, value: unknown): JsonObject {
  const env = readSettingsEnv(settings) ?? {};
  return withKey(settings, 'env', withKey(env, name, value));
}

/**
 * Removes one variable of `env` when it holds `value` (a value the user changed is
 * theirs now), and `env` itself when that empties it and `dropEmptyEnv` says install created it.
 */
export function withoutEnvVariable(settings: JsonObject, name: string, value: string, dropEmptyEnv: boolean): JsonObject {
  const env = readSettingsEnv(settings);
  if (env === undefined || env[name] !== value) return settings;
  const rest = withoutKey(env, name);
  return Object.keys(rest).length === 0 && dropEmptyEnv ? withoutKey(settings, 'env') : withKey(settings, 'env', rest);
}
