import { AppError } from '../../core/app-error.ts';
import { ASYNC_HOOKS_SINCE, versionAtLeast, type ClaudeCodeEvent } from './claude-code-events.ts';
import { isHookdCommand } from './hookd-emit-command.ts';
import { isJsonObject, type JsonObject } from './json-settings.ts';

/** The path hookd serves Claude Code's http hooks on; part of the recognition rule below. */
export const CLAUDE_CODE_HOOK_PATH = '/hooks/claude-code';
/**
 * Waiting hooks are given this long. Above SessionEnd's default budget of 1.5 s on
 * purpose: a hook's timeout raises that budget, so emit's own 1.5 s budget for a slow
 * server, and the spool write after it, fit before Claude Code exits.
 */
export const COMMAND_TIMEOUT_SECONDS = 10;
export const HTTP_TIMEOUT_SECONDS = 5;

/**
 * `command`: command hooks running `hookd emit` (which posts to HOOKD_URL from the
 * settings' env, or writes the local database); `http`: the full URL of hookd's hook
 * route, and the command for the events that take only commands.
 */
export type HookTarget = ({ kind: 'command'; command: string } | { kind: 'http'; url: string; command: string }) & {
  /** The Claude Code version the file is for (`claude --version`); null: not known, taken for a current one. */
  version?: string | null;
};

/** The entry for one event: an http target's command for the events that take only commands. */
export function claudeCodeHookEntry(target: HookTarget, event: ClaudeCodeEvent): JsonObject {
  if (target.kind === 'command' || event.commandOnly) {
    // hookd's hook answers nothing, so Claude Code need not wait for it.
    return event.waits || !versionAtLeast(target.version ?? null, ASYNC_HOOKS_SINCE)
      ? { type: 'command', command: target.command, timeout: COMMAND_TIMEOUT_SECONDS }
      : { type: 'command', command: target.command, async: true, timeout: COMMAND_TIMEOUT_SECONDS };
  }
  // Claude Code fills `$HOOKD_TOKEN` in a header only for variables listed in
  // allowedEnvVars, so the token stays in the environment and never in the file.
  return {
    type: 'http',
    url: target.url,
    timeout: HTTP_TIMEOUT_SECONDS,
    headers: { Authorization: 'Bearer $HOOKD_TOKEN' },
    allowedEnvVars: ['HOOKD_TOKEN'],
  };
}

// Besides hookd's command (hookd-emit-command.ts), an http hook whose URL path ends with
// /hooks/claude-code is hookd's.
const HOOKD_URL = /^https?:\/\/[^?#]*\/hooks\/claude-code\/?$/i;

export function isHookdEntry(entry: unknown): boolean {
  if (!isJsonObject(entry)) return false;
  if (entry.type === 'command') return isHookdCommand(entry.command);
  if (entry.type === 'http') return typeof entry.url === 'string' && HOOKD_URL.test(entry.url);
  return false;
}

/**
 * The server's base URL as given to --url or --http, checked: it is written into a
 * settings file, so it must hold no credentials.
 */
export function hookdServerUrl(base: string, option = '--url'): string {
  let url: URL;
  const invalid = (problem: string) => new AppError('invalid_argument', `${option}: ${problem}`, 400);
  try {
    url = new URL(base.trim());
  } catch {
    throw invalid(`'${base}' is not a URL; give the server's address, e.g. http://127.0.0.1:8080`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(`'${base}' must start with http:// or https://`);
  // A password in the URL would be written into the file in clear text.
  if (url.username || url.password) throw invalid('the URL must not hold credentials; use HOOKD_TOKEN or `hookd token save`');
  if (url.search || url.hash) throw invalid(`'${base}' must not have a query or fragment`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/hooks\/[\w.-]+$/i, '')}`;
}

/** The server's base URL as given to --http, turned into the URL of hookd's Claude Code route. */
export function claudeCodeHookUrl(base: string): string {
  return `${hookdServerUrl(base, '--http')}${CLAUDE_CODE_HOOK_PATH}`;
}
