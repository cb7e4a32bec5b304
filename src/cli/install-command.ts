import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, open, readFile, realpath, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../core/app-error.ts';
import {
  CLAUDE_CODE_EVENTS,
  claudeCodeHookUrl,
  claudeCodeServerUrl,
  hookdEmitCommand,
  type HookTarget,
  type JsonObject,
} from '../modules/integrations/claude-code-hook-entry.ts';
import {
  ClaudeCodeSettingsError,
  installClaudeCodeHooks,
  parseClaudeCodeSettings,
  serializeClaudeCodeSettings,
  uninstallClaudeCodeHooks,
} from '../modules/integrations/claude-code-settings.ts';

export interface UninstallOptions {
  user?: boolean;
  project?: string;
  dryRun?: boolean;
}

export interface InstallOptions extends UninstallOptions {
  http?: string;
}

export async function installClaudeCode(options: InstallOptions): Promise<void> {
  const target: HookTarget =
    options.http !== undefined
      ? { kind: 'http', url: claudeCodeHookUrl(options.http), command: localEmitCommand(claudeCodeServerUrl(options.http)) }
      : { kind: 'command', command: localEmitCommand() };
  const how =
    target.kind === 'http'
      ? `http hooks to ${target.url}; SessionStart, which takes only commands, runs hookd emit to the same server`
      : 'command hooks running hookd emit';
  await editSettings(options, (settings) => {
    const { settings: next } = installClaudeCodeHooks(settings, target);
    const count = `${CLAUDE_CODE_EVENTS.length} Claude Code hook events`;
    return { next, done: `registered hookd for ${count}`, unchanged: `hookd is already registered for ${count}`, how };
  });
  if (target.kind === 'http' && !options.dryRun) {
    process.stderr.write(
      'hookd: when the server has API tokens, export HOOKD_TOKEN=<a token with the ingest scope> where Claude Code runs\n',
    );
  }
}

export async function uninstallClaudeCode(options: UninstallOptions): Promise<void> {
  await editSettings(options, (settings) => {
    const { settings: next, summary } = uninstallClaudeCodeHooks(settings);
    const plural = summary.events === 1 ? 'event' : 'events';
    return {
      next: summary.entries > 0 ? next : null,
      done: `removed hookd from ${summary.events} Claude Code hook ${plural}`,
      unchanged: 'no hookd hooks found',
    };
  });
}

interface Edit {
  /** null: nothing to change, so the file is neither reformatted nor created. */
  next: JsonObject | null;
  /** What was done, without the file: "registered hookd for 12 ...". */
  done: string;
  unchanged: string;
  how?: string;
}

async function editSettings(options: UninstallOptions, change: (settings: JsonObject) => Edit): Promise<void> {
  const file = settingsFile(options);
  // A settings.json symlinked from a dotfiles repository is edited where it lives, not replaced by a copy.
  const real = await realpath(file).catch(() => file);
  const before = await readFile(real, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  let edit: Edit;
  try {
    edit = change(parseClaudeCodeSettings(before ?? ''));
  } catch (error) {
    if (error instanceof ClaudeCodeSettingsError) throw new ClaudeCodeSettingsError(`${file}: ${error.message}; nothing was changed`);
    throw error;
  }
  const after = edit.next === null ? before : serializeClaudeCodeSettings(edit.next);
  const how = edit.how ? ` (${edit.how})` : '';
  if (after === before || after === null) {
    process.stdout.write(
      `${options.dryRun ? 'dry run: ' : ''}${edit.unchanged} in ${file}; nothing ${options.dryRun ? 'written' : 'changed'}\n`,
    );
    return;
  }
  if (options.dryRun) {
    process.stdout.write(unifiedDiff(before ?? '', after, before === null ? '/dev/null' : file, file));
    process.stdout.write(`dry run: would have ${edit.done} in ${file}${how}; nothing written\n`);
    return;
  }
  await mkdir(dirname(real), { recursive: true });
  await writeAtomically(real, after);
  process.stdout.write(`${edit.done} in ${file}${how}\n`);
}

function settingsFile(options: UninstallOptions): string {
  if (options.project === undefined) return join(homedir(), '.claude', 'settings.json');
  const dir = resolve(options.project);
  // Creating a project directory from a mistyped path would hide the mistake.
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory())
    throw new AppError('invalid_argument', `--project: ${dir} is not a directory`, 400);
  return join(dir, '.claude', 'settings.json');
}

/** The pinned Node and hookd's entry point of this very checkout, found from this module's own path. */
function localEmitCommand(serverUrl?: string): string {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const node = join(root, 'node_modules/node/bin/node');
  const main = join(root, 'dist/cli/main.js');
  // A hook pointing at a missing file would fail on every event Claude Code fires.
  if (!existsSync(node)) throw new AppError('not_installed', `the pinned Node is missing at ${node}; run 'npm ci' in ${root} first`, 500);
  if (!existsSync(main))
    throw new AppError('not_installed', `hookd is not built (${main} is missing); run 'npm run build' in ${root} first`, 500);
  return hookdEmitCommand(node, main, serverUrl);
}

/** Readers (Claude Code starting a session) see the old file or the new one, never half of one. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const mode = await stat(file).then(
    (s) => s.mode & 0o7777,
    () => undefined,
  );
  const temp = join(dirname(file), `.${basename(file)}.hookd-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', mode ?? 0o666);
  try {
    await handle.writeFile(text);
    // The creation mode passes through the umask; chmod gives the original file's mode exactly.
    if (mode !== undefined) await handle.chmod(mode);
    await handle.sync();
    await handle.close();
    await rename(temp, file);
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(temp, { force: true });
    throw error;
  }
}

/** A unified diff by lines; settings files are small, so a plain LCS table is cheap. */
export function unifiedDiff(before: string, after: string, fromLabel: string, toLabel: string, context = 3): string {
  const a = lines(before);
  const b = lines(after);
  const w = b.length + 1;
  // Past a few million cells the table would cost real memory: show the whole files instead.
  if (a.length * b.length > 4_000_000)
    return `--- ${fromLabel}\n+++ ${toLabel}\n${a.map((t) => `-${t}\n`).join('')}${b.map((t) => `+${t}\n`).join('')}`;
  const lcs = new Uint32Array((a.length + 1) * w);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * w + j] = a[i] === b[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    }
  }
  const ops: { mark: ' ' | '-' | '+'; text: string; ai: number; bi: number }[] = [];
  for (let i = 0, j = 0; i < a.length || j < b.length; ) {
    if (i < a.length && j < b.length && a[i] === b[j]) ops.push({ mark: ' ', text: a[i]!, ai: i++, bi: j++ });
    else if (i < a.length && (j === b.length || lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!))
      ops.push({ mark: '-', text: a[i]!, ai: i++, bi: j });
    else ops.push({ mark: '+', text: b[j]!, ai: i, bi: j++ });
  }
  let out = `--- ${fromLabel}\n+++ ${toLabel}\n`;
  const changed = ops.flatMap((op, k) => (op.mark === ' ' ? [] : [k]));
  for (let h = 0; h < changed.length; ) {
    let end = h;
    while (end + 1 < changed.length && changed[end + 1]! - changed[end]! <= 2 * context) end++;
    const hunk = ops.slice(Math.max(0, changed[h]! - context), changed[end]! + context + 1);
    const aLen = hunk.filter((op) => op.mark !== '+').length;
    const bLen = hunk.filter((op) => op.mark !== '-').length;
    const start = (index: number, length: number) => (length === 0 ? index : index + 1);
    out += `@@ -${start(hunk[0]!.ai, aLen)},${aLen} +${start(hunk[0]!.bi, bLen)},${bLen} @@\n`;
    out += hunk.map((op) => `${op.mark}${op.text}\n`).join('');
    h = end + 1;
  }
  return out;
}

function lines(text: string): string[] {
  if (text === '') return [];
  return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
}
