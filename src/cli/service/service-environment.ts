// Settings only the clients read (`hookd emit`, `tail`, `spool`): the server has no use
// for them, and a token written into the service's files would only sit on disk.
const CLIENT_ONLY = new Set(['HOOKD_URL', 'HOOKD_TOKEN', 'HOOKD_TEAM', 'HOOKD_EMIT_TIMEOUT_MS']);

// Read by `serve` without the prefix too, but a service gets only the HOOKD_ names.
const UNPREFIXED = ['DATABASE_URL', 'STORAGE_TYPE', 'HOST', 'PORT', 'LOG_LEVEL', 'JSONL_PATH'];

export interface ServiceFlags {
  databaseUrl?: string;
  storage?: string;
}

/**
 * The settings the service's `hookd serve` gets: the HOOKD_ variables set now, with
 * `--database-url` and `--storage` as their HOOKD_ names, sorted so reinstalling with the
 * same settings writes the same file. HOOKD_HOME is left out: the service sets it itself.
 */
export function serviceEnvironment(env: Readonly<Record<string, string | undefined>>, flags: ServiceFlags = {}): Record<string, string> {
  const chosen: Record<string, string> = {};
  for (const name of Object.keys(env)) {
    const value = env[name];
    // Empty counts as unset in hookd's config; writing it would only add noise.
    if (!name.startsWith('HOOKD_') || name === 'HOOKD_HOME' || CLIENT_ONLY.has(name) || !value) continue;
    chosen[name] = value;
  }
  if (flags.databaseUrl) chosen.HOOKD_DATABASE_URL = flags.databaseUrl;
  if (flags.storage) chosen.HOOKD_STORAGE_TYPE = flags.storage;
  return Object.fromEntries(Object.entries(chosen).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Unprefixed settings set now that the service will not see, each with the name that would carry it. */
export function settingsLeftBehind(env: Readonly<Record<string, string | undefined>>, chosen: Readonly<Record<string, string>>): string[] {
  return UNPREFIXED.filter((name) => env[name] && chosen[`HOOKD_${name}`] === undefined);
}
