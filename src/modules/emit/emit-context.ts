import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { HookContext } from '../hooks/hook-adapter.ts';
import { fs } from '../../core/builtin-fs.ts';

// Everything here runs inside an agent's hook, once per event: file reads only, never a
// spawned `git` (a process start would cost more than the whole emit).

export interface GitInfo {
  /** The working tree's top folder (the one holding `.git`). */
  root: string;
  /** The main repository's top folder; differs from root in a linked worktree. */
  repository: string;
  /** Branch name, short sha when detached, null when HEAD is unreadable. */
  branch: string | null;
}

/** Walks up from `cwd` to the first folder holding `.git` (a folder, or a file as in worktrees). */
export function findGit(cwd: string): GitInfo | null {
  let dir = resolve(cwd);
  for (;;) {
    const dotGit = join(dir, '.git');
    const stat = fs.statSync(dotGit, { throwIfNoEntry: false });
    if (stat?.isDirectory()) return { root: dir, repository: dir, branch: branchOf(dotGit) };
    if (stat?.isFile()) {
      const gitDir = gitDirFromFile(dotGit);
      if (gitDir) return { root: dir, repository: repositoryOf(gitDir) ?? dir, branch: branchOf(gitDir) };
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** A `.git` file holds `gitdir: PATH`, relative to the folder that holds the file. */
export function gitDirFromFile(dotGitFile: string): string | null {
  const text = readText(dotGitFile);
  const match = text && /^gitdir:\s*(.+?)\s*$/m.exec(text);
  if (!match) return null;
  return isAbsolute(match[1]!) ? match[1]! : resolve(dirname(dotGitFile), match[1]!);
}

/**
 * A linked worktree's gitdir (`<repo>/.git/worktrees/<name>`) names the shared git folder
 * in `commondir`; its parent is the main repository. Worktrees of one repository then
 * count as one project. Submodules have no commondir: they are their own project.
 */
function repositoryOf(gitDir: string): string | null {
  const common = readText(join(gitDir, 'commondir'))?.trim();
  if (!common) return null;
  const commonDir = isAbsolute(common) ? common : resolve(gitDir, common);
  return basename(commonDir) === '.git' ? dirname(commonDir) : null;
}

function branchOf(gitDir: string): string | null {
  const head = readText(join(gitDir, 'HEAD'));
  return head === null ? null : parseHead(head);
}

/** `ref: refs/heads/NAME` -> NAME; a detached HEAD (a sha) -> its first 7 characters. */
export function parseHead(text: string): string | null {
  const line = text.trim();
  const ref = /^ref:\s*(\S+)$/.exec(line);
  if (ref) return ref[1]!.replace(/^refs\/heads\//, '') || null;
  if (/^[0-9a-f]{40}([0-9a-f]{24})?$/i.test(line)) return line.slice(0, 7).toLowerCase();
  return null;
}

/** The git root's folder name inside a repository (the main one's for a worktree), else cwd's. */
export function projectName(cwd: string, git: GitInfo | null): string | null {
  return basename(git ? git.repository : resolve(cwd)) || null;
}

// TERM_PROGRAM values that read better under a plainer name.
const TERM_PROGRAM_NAMES: Record<string, string> = {
  'iterm.app': 'iterm2',
  apple_terminal: 'apple-terminal',
  warpterminal: 'warp',
};

// Checked in order when TERM_PROGRAM is unset: multiplexers before the terminals they run in.
const TERMINAL_MARKERS: [test: (env: NodeJS.ProcessEnv) => boolean, name: string][] = [
  [(env) => !!env.TMUX, 'tmux'],
  [(env) => !!env.STY, 'screen'],
  [(env) => !!env.ZELLIJ, 'zellij'],
  [(env) => !!env.CURSOR_TRACE_ID, 'cursor'],
  [(env) => Object.keys(env).some((name) => name.startsWith('VSCODE_')), 'vscode'],
  [(env) => env.TERMINAL_EMULATOR === 'JetBrains-JediTerm', 'jetbrains'],
  [(env) => !!env.ZED_TERM, 'zed'],
  [(env) => !!env.INSIDE_EMACS, 'emacs'],
  [(env) => !!env.WT_SESSION, 'windows-terminal'],
  [(env) => !!env.KITTY_WINDOW_ID, 'kitty'],
  [(env) => !!env.ALACRITTY_WINDOW_ID || !!env.ALACRITTY_SOCKET, 'alacritty'],
  [(env) => !!env.WEZTERM_EXECUTABLE, 'wezterm'],
  [(env) => !!env.GHOSTTY_RESOURCES_DIR, 'ghostty'],
  [(env) => !!env.KONSOLE_VERSION, 'konsole'],
  [(env) => !!env.GNOME_TERMINAL_SCREEN, 'gnome-terminal'],
  [(env) => !!env.VTE_VERSION, 'vte'],
];

/** The terminal the agent runs in, from the environment alone; null when nothing says. */
export function terminalOf(env: NodeJS.ProcessEnv): string | null {
  const program = env.TERM_PROGRAM?.trim();
  if (program) {
    const key = program.toLowerCase();
    return TERM_PROGRAM_NAMES[key] ?? key.replace(/\.app$/, '');
  }
  return TERMINAL_MARKERS.find(([test]) => test(env))?.[1] ?? null;
}

/** project, git_branch and terminal as the hook route takes them from X-Hookd-* headers. */
export function collectContext(cwd: string, env: NodeJS.ProcessEnv): HookContext {
  const git = safely(() => findGit(cwd));
  const context: HookContext = {};
  const project = headerValue(projectName(cwd, git));
  const branch = headerValue(git?.branch ?? null);
  const terminal = headerValue(terminalOf(env));
  if (project) context.project = project;
  if (branch) context.git_branch = branch;
  if (terminal) context.terminal = terminal;
  return context;
}

/**
 * A value as the server reads it from a header: at most 255 characters, and only when a
 * header can carry it (printable Latin-1). Both emit paths apply this, so writing the
 * database directly and posting to a server store the same row.
 */
export function headerValue(value: string | null | undefined): string | undefined {
  // HTTP drops a header value's surrounding spaces, so they are dropped here too.
  const cut = value?.trim().slice(0, 255);
  if (!cut) return undefined;
  return /^[\x20-\x7e\xa0-\xff]+$/.test(cut) ? cut : undefined;
}

function readText(path: string): string | null {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function safely<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}
