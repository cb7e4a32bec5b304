import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../core/app-error.ts';
import {
  CLAUDE_CODE_EVENTS,
  claudeCodeEventsFor,
  HTTP_HOOKS_SINCE,
  parseClaudeCodeVersion,
  UNKNOWN_EVENTS_TOLERATED_SINCE,
  versionAtLeast,
} from '../modules/integrations/claude-code-events.ts';
import { claudeCodeFileEdit } from '../modules/integrations/claude-code-file-edit.ts';
import { claudeCodeHookUrl, hookdServerUrl, type HookTarget } from '../modules/integrations/claude-code-hook-entry.ts';
import { codexFeatureFlagEdit } from '../modules/integrations/codex-feature-flag.ts';
import { codexHooksFileEdit } from '../modules/integrations/codex-hooks.ts';
import { geminiFileEdit } from '../modules/integrations/gemini-settings.ts';
import { hookdEmitCommand, hookdHeadersHelperCommand, type EmitCommandOptions } from '../modules/integrations/hookd-emit-command.ts';
import { installFiles, projectFolder, uninstallFiles } from './install-files.ts';
import { whereEventsGo } from './install-report.ts';

export interface UninstallOptions {
  user?: boolean;
  project?: string;
  dryRun?: boolean;
}

export interface InstallOptions extends UninstallOptions {
  /** Command hooks whose `hookd emit` posts to the server at this URL. */
  url?: string;
}

export interface ClaudeCodeInstallOptions extends InstallOptions {
  /** HTTP hooks to the server at this URL. */
  http?: string;
  /** The Claude Code version to write for, instead of asking `claude --version`. */
  claudeVersion?: string;
  /** Claude Code's own OpenTelemetry export (tokens, cost) to the same server. */
  telemetry?: boolean;
}

export async function installClaudeCode(options: ClaudeCodeInstallOptions): Promise<void> {
  if (options.http !== undefined && options.url !== undefined)
    throw new AppError('invalid_argument', '--url and --http both name the server: give one', 400);
  const url =
    options.http !== undefined ? hookdServerUrl(options.http, '--http') : options.url !== undefined ? hookdServerUrl(options.url) : null;
  // The command is the same in every mode: where it posts comes from HOOKD_URL in the settings' env.
  const command = localEmitCommand();
  const version = claudeCodeVersion(options.claudeVersion);
  if (options.http !== undefined && !versionAtLeast(version.version, HTTP_HOOKS_SINCE))
    throw new AppError(
      'invalid_argument',
      `--http: Claude Code ${version.version} has no HTTP hooks (${HTTP_HOOKS_SINCE} or later); use --url`,
      400,
    );
  const target: HookTarget =
    options.http !== undefined
      ? { kind: 'http', url: claudeCodeHookUrl(options.http), command, version: version.version }
      : { kind: 'command', command, version: version.version };
  const file = await claudeCodeSettingsFile(options);
  if (options.telemetry && url === null)
    throw new AppError('invalid_argument', "--telemetry: give the server's address with --url (or --http): the export goes there", 400);
  const telemetry = options.telemetry ? { headersHelper: localHeadersHelper() } : null;
  const written = await installFiles([claudeCodeFileEdit(file, target, url, telemetry)], options);
  if (options.dryRun) return;
  process.stdout.write(`${version.note}\n`);
  const commandOnly = CLAUDE_CODE_EVENTS.filter((e) => e.commandOnly).map((e) => e.name);
  process.stdout.write(
    `${whereEventsGo({
      agent: 'Claude Code',
      url,
      urlIn: `HOOKD_URL in ${file} env`,
      settingsText: written.get(file) ?? null,
      http: target.kind === 'http' ? { url: target.url, commandEvents: commandOnly } : undefined,
    })}\n`,
  );
}

export async function uninstallClaudeCode(options: UninstallOptions): Promise<void> {
  // The edit's target and URL only matter to install.
  const edit = claudeCodeFileEdit(await claudeCodeSettingsFile(options), { kind: 'command', command: '' }, null);
  await uninstallFiles([edit], options);
}

export async function installCodex(options: InstallOptions): Promise<void> {
  const url = options.url === undefined ? null : hookdServerUrl(options.url);
  const folder = await codexFolder(options);
  const command = localEmitCommand({ source: 'codex', ...(url === null ? {} : { url }) });
  await installFiles([codexHooksFileEdit(join(folder, 'hooks.json'), command), codexFeatureFlagEdit(join(folder, 'config.toml'))], options);
  if (options.dryRun) return;
  process.stdout.write(`${whereEventsGo({ agent: 'Codex', url, urlIn: 'HOOKD_URL in the hook command', settingsText: null })}\n`);
  process.stderr.write("hookd: Codex runs a hook only once you trust it: open /hooks in Codex and trust hookd's hooks\n");
}

export async function uninstallCodex(options: UninstallOptions): Promise<void> {
  const folder = await codexFolder(options);
  await uninstallFiles([codexHooksFileEdit(join(folder, 'hooks.json'), ''), codexFeatureFlagEdit(join(folder, 'config.toml'))], options);
}

export async function installGemini(options: InstallOptions): Promise<void> {
  const url = options.url === undefined ? null : hookdServerUrl(options.url);
  const file = join(await geminiFolder(options), 'settings.json');
  const command = localEmitCommand({ source: 'gemini-cli', ...(url === null ? {} : { url }) });
  await installFiles([geminiFileEdit(file, command)], options);
  if (options.dryRun) return;
  process.stdout.write(`${whereEventsGo({ agent: 'Gemini CLI', url, urlIn: 'HOOKD_URL in the hook command', settingsText: null })}\n`);
}

export async function uninstallGemini(options: UninstallOptions): Promise<void> {
  await uninstallFiles([geminiFileEdit(join(await geminiFolder(options), 'settings.json'), '')], options);
}

/**
 * The version the settings are written for: --claude-version, else what `claude --version`
 * says where install runs. Not found, it is taken for a current one, and said so.
 */
function claudeCodeVersion(given: string | undefined): { version: string | null; note: string } {
  if (given !== undefined) {
    const version = parseClaudeCodeVersion(given);
    if (version === null) throw new AppError('invalid_argument', `--claude-version: '${given}' is not a version such as 2.1.101`, 400);
    return { version, note: `written for Claude Code ${version} (--claude-version)${olderNote(version)}` };
  }
  let output = '';
  try {
    output = execFileSync('claude', ['--version'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    // Not on PATH here, or it failed: said below.
  }
  const version = parseClaudeCodeVersion(output);
  if (version === null)
    return {
      version: null,
      note:
        `\`claude --version\` gave no version here: written for a current Claude Code (${UNKNOWN_EVENTS_TOLERATED_SINCE} or later). ` +
        'An older one skips a settings file naming hook events it does not know: pass --claude-version if yours is older',
    };
  return { version, note: `written for Claude Code ${version} (claude --version)${olderNote(version)}` };
}

function olderNote(version: string): string {
  if (versionAtLeast(version, UNKNOWN_EVENTS_TOLERATED_SINCE)) return '';
  const left = CLAUDE_CODE_EVENTS.length - claudeCodeEventsFor(version).length;
  return `: ${left} events it does not know yet are left out (install again after updating Claude Code)`;
}

async function claudeCodeSettingsFile(options: UninstallOptions): Promise<string> {
  const folder = options.project === undefined ? join(homedir(), '.claude') : join(await projectFolder(options.project), '.claude');
  return join(folder, 'settings.json');
}

/** Codex's own home, CODEX_HOME, defaults to ~/.codex. */
async function codexFolder(options: UninstallOptions): Promise<string> {
  if (options.project !== undefined) return join(await projectFolder(options.project), '.codex');
  return process.env.CODEX_HOME ? resolve(process.env.CODEX_HOME) : join(homedir(), '.codex');
}

async function geminiFolder(options: UninstallOptions): Promise<string> {
  return options.project === undefined ? join(homedir(), '.gemini') : join(await projectFolder(options.project), '.gemini');
}

/** `hookd otel-headers` by the same absolute paths as the hooks (checked by localEmitCommand). */
function localHeadersHelper(): string {
  const { node, main } = localPaths();
  return hookdHeadersHelperCommand(node, main);
}

function localPaths(): { root: string; node: string; main: string } {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  return { root, node: join(root, 'node_modules/node/bin/node'), main: join(root, 'dist/cli/main.js') };
}

/** The pinned Node and hookd's entry point of this very checkout, found from this module's own path. */
function localEmitCommand(options: EmitCommandOptions = {}): string {
  const { root, node, main } = localPaths();
  // A hook pointing at a missing file would fail on every event the agent fires.
  if (!existsSync(node)) throw new AppError('not_installed', `the pinned Node is missing at ${node}; run 'npm ci' in ${root} first`, 500);
  if (!existsSync(main))
    throw new AppError('not_installed', `hookd is not built (${main} is missing); run 'npm run build' in ${root} first`, 500);
  return hookdEmitCommand(node, main, options);
}
