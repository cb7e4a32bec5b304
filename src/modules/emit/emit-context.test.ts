import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectContext, findGit, headerValue, parseHead, projectName, terminalOf } from './emit-context.ts';

const root = mkdtempSync(join(tmpdir(), 'hookd-emit-context-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A folder with a `.git` folder whose HEAD holds `head`. */
function repo(name: string, head: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, '.git'), { recursive: true });
  writeFileSync(join(dir, '.git', 'HEAD'), head);
  return dir;
}

describe('parseHead', () => {
  it('reads a branch, a branch with slashes, and a detached sha', () => {
    expect(parseHead('ref: refs/heads/main\n')).toBe('main');
    expect(parseHead('ref: refs/heads/feature/fix-rounding\n')).toBe('feature/fix-rounding');
    expect(parseHead('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b\n')).toBe('9f86d08');
    expect(parseHead('ref: refs/remotes/origin/main')).toBe('refs/remotes/origin/main');
  });

  it('gives null for anything else', () => {
    expect(parseHead('')).toBeNull();
    expect(parseHead('garbage here')).toBeNull();
    expect(parseHead('9f86d08')).toBeNull();
  });
});

describe('findGit and projectName', () => {
  it('finds the repository from a nested folder and names the project after its root', () => {
    const dir = repo('billing', 'ref: refs/heads/fix/rounding\n');
    const nested = join(dir, 'src', 'invoice');
    mkdirSync(nested, { recursive: true });
    const git = findGit(nested);
    expect(git).toEqual({ root: dir, repository: dir, branch: 'fix/rounding' });
    expect(projectName(nested, git)).toBe('billing');
  });

  it('reads a detached HEAD as its short sha', () => {
    const dir = repo('detached', 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3\n');
    expect(findGit(dir)?.branch).toBe('a94a8fe');
  });

  it('follows a linked worktree `.git` file to its gitdir, and names the main repository', () => {
    const main = repo('shop', 'ref: refs/heads/main\n');
    const gitDir = join(main, '.git', 'worktrees', 'shop-feature');
    mkdirSync(gitDir, { recursive: true });
    writeFileSync(join(gitDir, 'HEAD'), 'ref: refs/heads/feature/cart\n');
    writeFileSync(join(gitDir, 'commondir'), '../..\n');
    const worktree = join(root, 'shop-feature');
    mkdirSync(join(worktree, 'lib'), { recursive: true });
    // git writes an absolute gitdir for worktrees; a relative one is read too (below).
    writeFileSync(join(worktree, '.git'), `gitdir: ${gitDir}\n`);
    const git = findGit(join(worktree, 'lib'));
    expect(git).toEqual({ root: worktree, repository: main, branch: 'feature/cart' });
    expect(projectName(worktree, git)).toBe('shop');
  });

  it('reads a relative gitdir (a submodule) as its own project', () => {
    const parent = repo('app', 'ref: refs/heads/main\n');
    const moduleGit = join(parent, '.git', 'modules', 'vendor-lib');
    mkdirSync(moduleGit, { recursive: true });
    writeFileSync(join(moduleGit, 'HEAD'), 'ref: refs/heads/stable\n');
    const sub = join(parent, 'vendor-lib');
    mkdirSync(sub);
    writeFileSync(join(sub, '.git'), 'gitdir: ../.git/modules/vendor-lib\n');
    const git = findGit(sub);
    expect(git).toEqual({ root: sub, repository: sub, branch: 'stable' });
    expect(projectName(sub, git)).toBe('vendor-lib');
  });

  it('outside any repository names the project after cwd, even a cwd that does not exist', () => {
    const plain = join(root, 'scratch', 'notes');
    mkdirSync(plain, { recursive: true });
    expect(findGit(plain)).toBeNull();
    expect(projectName(plain, null)).toBe('notes');
    expect(projectName(join(root, 'gone', 'billing'), findGit(join(root, 'gone', 'billing')))).toBe('billing');
  });
});

describe('terminalOf', () => {
  it('prefers TERM_PROGRAM, with plainer names for a few', () => {
    expect(terminalOf({ TERM_PROGRAM: 'iTerm.app', TMUX: '/tmp/tmux' })).toBe('iterm2');
    expect(terminalOf({ TERM_PROGRAM: 'Apple_Terminal' })).toBe('apple-terminal');
    expect(terminalOf({ TERM_PROGRAM: 'vscode' })).toBe('vscode');
    expect(terminalOf({ TERM_PROGRAM: 'WezTerm' })).toBe('wezterm');
  });

  it('falls back on markers, multiplexers first', () => {
    expect(terminalOf({ TMUX: '/tmp/tmux-1000/default,1,0', KITTY_WINDOW_ID: '1' })).toBe('tmux');
    expect(terminalOf({ VSCODE_IPC_HOOK_CLI: '/run/vscode.sock' })).toBe('vscode');
    expect(terminalOf({ TERMINAL_EMULATOR: 'JetBrains-JediTerm' })).toBe('jetbrains');
    expect(terminalOf({ WT_SESSION: 'abc' })).toBe('windows-terminal');
    expect(terminalOf({ STY: '1234.pts-0' })).toBe('screen');
  });

  it('is null when nothing says', () => {
    expect(terminalOf({ TERM: 'xterm-256color', PATH: '/usr/bin' })).toBeNull();
  });
});

describe('collectContext and headerValue', () => {
  it('collects project, branch and terminal, leaving out what is unknown', () => {
    const dir = repo('ledger', 'ref: refs/heads/main\n');
    expect(collectContext(dir, { TERM_PROGRAM: 'ghostty' })).toEqual({ project: 'ledger', git_branch: 'main', terminal: 'ghostty' });
    const plain = join(root, 'plain-folder');
    mkdirSync(plain);
    expect(collectContext(plain, {})).toEqual({ project: 'plain-folder' });
  });

  it('keeps only what a header can carry, trimmed and cut to 255 characters', () => {
    expect(headerValue('  café ')).toBe('café');
    expect(headerValue('x'.repeat(300))).toHaveLength(255);
    expect(headerValue('项目')).toBeUndefined();
    expect(headerValue('a\r\nX-Evil: 1')).toBeUndefined();
    expect(headerValue('')).toBeUndefined();
    expect(headerValue(null)).toBeUndefined();
  });
});
