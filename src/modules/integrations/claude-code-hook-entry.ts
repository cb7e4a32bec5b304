import { AppError } from '../../core/app-error.ts';

/** Every Claude Code hook event hookd records, in the order install adds missing ones. */
export const CLAUDE_CODE_EVENTS = [
  'SessionStart',
  'UserPromptSubmit',
  'PreToolUse',
  'PostToolUse',
  'PostToolUseFailure',
  'PermissionRequest',
  'Notification',
  'SubagentStart',
  'SubagentStop',
  'Stop',
  'PreCompact',
  'SessionEnd',
] as const;

/** Events Claude Code filters by tool name: they get matcher "*"; the others none, which also matches all. */
const TOOL_EVENTS: ReadonlySet<string> = new Set(['PreToolUse', 'PostToolUse', 'PostToolUseFailure', 'PermissionRequest']);

/** The path hookd serves Claude Code's http hooks on; part of the recognition rule below. */
export const CLAUDE_CODE_HOOK_PATH = '/hooks/claude-code';
export const COMMAND_TIMEOUT_SECONDS = 10;
export const HTTP_TIMEOUT_SECONDS = 5;

export type JsonObject = Record<string, unknown>;

/**
 * Events Claude Code runs only command hooks for (its hooks reference: SessionStart and
 * Setup take no http hooks). An http install gives them a command hook that runs `hookd emit`
 * posting to the same server, which spools what the server does not take.
 */
export const COMMAND_ONLY_EVENTS: ReadonlySet<string> = new Set(['SessionStart', 'Setup']);

/**
 * `command`: a shell command running `hookd emit`; `http`: the full URL of hookd's hook route,
 * and the command for the events that take only commands.
 */
export type HookTarget = { kind: 'command'; command: string } | { kind: 'http'; url: string; command: string };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The entry for one event: an http target's command for the events that take only commands. */
export function claudeCodeHookEntry(target: HookTarget, event: string): JsonObject {
  if (target.kind === 'command' || COMMAND_ONLY_EVENTS.has(event))
    return { type: 'command', command: target.command, timeout: COMMAND_TIMEOUT_SECONDS };
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

export function newMatcherGroup(event: string, entry: JsonObject): JsonObject {
  return TOOL_EVENTS.has(event) ? { matcher: '*', hooks: [entry] } : { hooks: [entry] };
}

/** A group whose matcher selects every tool (or every source, for the events that are not tool events). */
export function matchesEverything(group: JsonObject): boolean {
  return group.matcher === undefined || group.matcher === '' || group.matcher === '*';
}

// The recognition rule, so uninstall and a re-install find hookd's entries without a
// side file: a command hook whose command ends with hookd's entry point followed by the
// `emit` subcommand (`.../dist/cli/main.js' emit`), or an http hook whose URL path ends
// with /hooks/claude-code. Where the clone lives is not part of the rule, so entries
// written from a checkout that has since moved are still replaced and removed; a user's
// own command that merely mentions hookd (a wrapper script, `hookd emit | tee log`) ends
// differently and is left alone.
const HOOKD_COMMAND = /\/dist\/cli\/main\.js'?\s+emit\s*$/;
const HOOKD_URL = /^https?:\/\/[^?#]*\/hooks\/claude-code\/?$/i;

export function isHookdEntry(entry: unknown): boolean {
  if (!isJsonObject(entry)) return false;
  if (entry.type === 'command') return typeof entry.command === 'string' && HOOKD_COMMAND.test(entry.command);
  if (entry.type === 'http') return typeof entry.url === 'string' && HOOKD_URL.test(entry.url);
  return false;
}

/** Absolute paths, so the hook never depends on the PATH Claude Code hands its hooks. */
export function hookdEmitCommand(nodePath: string, mainPath: string, serverUrl?: string): string {
  const emit = `${shellQuote(nodePath)} ${shellQuote(mainPath)} emit`;
  return serverUrl === undefined ? emit : `HOOKD_URL=${shellQuote(serverUrl)} ${emit}`;
}

/** Single quotes keep everything literal in /bin/sh; an embedded quote closes, escapes and reopens. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** The server's base URL as given to --http, turned into the URL of hookd's Claude Code route. */
export function claudeCodeHookUrl(base: string): string {
  let url: URL;
  try {
    url = new URL(base.trim());
  } catch {
    throw invalidHttp(`'${base}' is not a URL; give the server's address, e.g. http://127.0.0.1:8080`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidHttp(`'${base}' must start with http:// or https://`);
  // A password in the URL would be written into settings.json in clear text.
  if (url.username || url.password) throw invalidHttp('the URL must not hold credentials; export HOOKD_TOKEN instead');
  if (url.search || url.hash) throw invalidHttp(`'${base}' must not have a query or fragment`);
  return `${claudeCodeServerUrl(base)}${CLAUDE_CODE_HOOK_PATH}`;
}

/** The server's base URL as given to --http (checked by claudeCodeHookUrl), without hookd's route. */
export function claudeCodeServerUrl(base: string): string {
  const url = new URL(base.trim());
  return `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/hooks\/claude-code$/i, '')}`;
}

function invalidHttp(problem: string): AppError {
  return new AppError('invalid_argument', `--http: ${problem}`, 400);
}
