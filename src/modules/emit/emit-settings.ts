import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const DEFAULT_EMIT_TIMEOUT_MS = 1500;
// As the server's default (config.ts): emit reads only HOOKD_ names and loads no config module first.
const DEFAULT_MAX_DATA_DEPTH = 128;

/**
 * What `hookd emit` and `hookd spool flush` read from the environment. A hook runs with
 * the environment of the user's project, whose unprefixed names (DATABASE_URL, PORT...)
 * belong to that project: only HOOKD_ names count here.
 */
export interface EmitSettings {
  /** $HOOKD_HOME: spool, log and the default database live here. */
  home: string;
  /** HOOKD_URL: post to this server; null writes the local SQLite file. */
  url: string | null;
  token: string | undefined;
  timeoutMs: number;
  /** HOOKD_MAX_DATA_DEPTH: a deeper payload is refused before anything walks it. */
  maxDataDepth: number;
  /** Settings that were ignored, for the log. */
  problems: string[];
}

export function emitSettings(env: NodeJS.ProcessEnv, cwd = process.cwd()): EmitSettings {
  const problems: string[] = [];
  // The same home loadConfig resolves, without loading the rest of the configuration.
  const home = resolve(cwd, env.HOOKD_HOME || join(homedir(), '.hookd'));
  let url = env.HOOKD_URL?.trim() || null;
  if (url && !/^https?:\/\/[^/]/i.test(url)) {
    problems.push(`HOOKD_URL must start with http:// or https:// (got "${url.slice(0, 100)}"); writing the local database instead`);
    url = null;
  }
  let token = env.HOOKD_TOKEN?.trim() || undefined;
  if (token && !/^[\x21-\x7e]+$/.test(token)) {
    problems.push('HOOKD_TOKEN holds characters an HTTP header cannot carry; sending no token');
    token = undefined;
  }
  let timeoutMs = DEFAULT_EMIT_TIMEOUT_MS;
  const rawTimeout = env.HOOKD_EMIT_TIMEOUT_MS;
  if (rawTimeout !== undefined && rawTimeout !== '') {
    const value = Number(rawTimeout);
    if (Number.isInteger(value) && value >= 1 && value <= 60_000) timeoutMs = value;
    else problems.push(`HOOKD_EMIT_TIMEOUT_MS must be a whole number of ms from 1 to 60000 (got "${rawTimeout}"); using ${timeoutMs}`);
  }
  let maxDataDepth = DEFAULT_MAX_DATA_DEPTH;
  const rawDepth = env.HOOKD_MAX_DATA_DEPTH;
  if (rawDepth !== undefined && rawDepth !== '') {
    const value = Number(rawDepth);
    if (Number.isInteger(value) && value >= 1) maxDataDepth = value;
    else problems.push(`HOOKD_MAX_DATA_DEPTH must be a whole number of at least 1 (got "${rawDepth}"); using ${maxDataDepth}`);
  }
  return { home, url, token, timeoutMs, maxDataDepth, problems };
}
