import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fs } from '../../core/builtin-fs.ts';

export const DEFAULT_EMIT_TIMEOUT_MS = 1500;
/** `hookd token save` writes the token here, under $HOOKD_HOME, for hooks whose environment has no HOOKD_TOKEN. */
export const TOKEN_FILE = 'token';
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
  /** HOOKD_TOKEN, else the token file when a URL is set. */
  token: string | undefined;
  timeoutMs: number;
  /** HOOKD_MAX_DATA_DEPTH: a deeper payload is refused before anything walks it. */
  maxDataDepth: number;
  /** Settings that were ignored, for the log. */
  problems: string[];
}

export function emitSettings(env: NodeJS.ProcessEnv, cwd = process.cwd()): EmitSettings {
  const problems: string[] = [];
  const home = hookdHome(env, cwd);
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
  // Only a request to a server needs a token, so only then is the file looked at.
  if (!env.HOOKD_TOKEN?.trim() && url) token = readTokenFile(join(home, TOKEN_FILE), problems);
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

/** $HOOKD_HOME, as loadConfig resolves it, without loading the rest of the configuration. */
export function hookdHome(env: NodeJS.ProcessEnv, cwd = process.cwd()): string {
  return resolve(cwd, env.HOOKD_HOME || join(homedir(), '.hookd'));
}

/**
 * The token `hookd token save` wrote. Like ssh with a private key, a file that group or
 * others may read or write is ignored: the token may already be known, or swapped for
 * another, so sending it would be the wrong call to make silently.
 */
export function readTokenFile(path: string, problems: string[]): string | undefined {
  try {
    const stat = fs.statSync(path, { throwIfNoEntry: false });
    if (stat === undefined) return undefined;
    if ((stat.mode & 0o077) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(3, '0');
      problems.push(`${path} has mode ${mode}: group or others have access to it, so it is ignored; run chmod 600 ${path}`);
      return undefined;
    }
    const token = fs.readFileSync(path, 'utf8').trim();
    if (!/^[\x21-\x7e]+$/.test(token)) {
      problems.push(`${path} holds no token an HTTP header can carry (empty, several lines or other characters); sending no token`);
      return undefined;
    }
    return token;
  } catch (error) {
    problems.push(`cannot read ${path} (${(error as { code?: string }).code ?? String(error)}); sending no token`);
    return undefined;
  }
}
