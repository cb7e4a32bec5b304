// bin/hookd as hooks, shells and npm start it: through links, by relative paths, with a
// PATH whose `node` is not the pinned one. It must always run dist/cli/main.js of its own
// checkout on the pinned Node, and say what is missing when it cannot.
import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { version } from '../../src/core/version.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/hookd');
const PINNED = `${version()} (Node v24.`;

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hookd-bin-'));
  dirs.push(dir);
  return dir;
}

/** A folder whose `node` is not Node at all: if the wrapper ever ran PATH's node, it would show. */
function wrongNodeDir(): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'node'), '#!/bin/sh\necho "PATH node ran" >&2\nexit 42\n');
  chmodSync(join(dir, 'node'), 0o755);
  return dir;
}

function run(
  file: string,
  args: string[],
  options: { cwd?: string; path?: string } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const PATH = options.path ?? `${wrongNodeDir()}:${process.env.PATH ?? ''}`;
  return new Promise((done) => {
    execFile(file, args, { cwd: options.cwd, env: { PATH }, timeout: 30_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

describe('bin/hookd', () => {
  it('runs the pinned Node by its absolute path, whatever `node` PATH finds first', async () => {
    const result = await run(BIN, ['--version']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.startsWith(PINNED)).toBe(true);
  });

  it('finds its checkout through a link, and a link to a link, as npm and users make them', async () => {
    const bin = tempDir();
    symlinkSync(BIN, join(bin, 'hookd'));
    symlinkSync(join(bin, 'hookd'), join(bin, 'hookd-again'));
    for (const link of ['hookd', 'hookd-again']) {
      const result = await run(join(bin, link), ['--version']);
      expect(result.stdout.startsWith(PINNED)).toBe(true);
    }
    // Found on PATH by name, as a shell or Claude Code runs `hookd emit`.
    const byName = await run('hookd', ['--version'], { path: `${bin}:${wrongNodeDir()}:${process.env.PATH ?? ''}` });
    expect(byName.stdout.startsWith(PINNED)).toBe(true);
  });

  it('works by a relative path, and as `sh hookd` inside bin/', async () => {
    const relative = await run('bin/hookd', ['--version'], { cwd: ROOT });
    expect(relative.stdout.startsWith(PINNED)).toBe(true);
    const bare = await run('sh', ['hookd', '--version'], { cwd: join(ROOT, 'bin') });
    expect(bare.stdout.startsWith(PINNED)).toBe(true);
  });

  it('exits 127 saying what to run when the checkout has no pinned Node or no build', async () => {
    const checkout = tempDir();
    mkdirSync(join(checkout, 'bin'));
    copyFileSync(BIN, join(checkout, 'bin/hookd'));
    chmodSync(join(checkout, 'bin/hookd'), 0o755);
    const noNode = await run(join(checkout, 'bin/hookd'), ['--version']);
    expect(noNode.code).toBe(127);
    expect(noNode.stderr).toMatch(/pinned Node not found at .*node_modules\/node\/bin\/node; run 'npm ci' in /);
    expect(noNode.stderr).not.toMatch(/PATH node ran/);

    mkdirSync(join(checkout, 'node_modules/node/bin'), { recursive: true });
    symlinkSync(process.execPath, join(checkout, 'node_modules/node/bin/node'));
    const notBuilt = await run(join(checkout, 'bin/hookd'), ['--version']);
    expect(notBuilt.code).toBe(127);
    expect(notBuilt.stderr).toMatch(/not built; run 'npm run build' in /);
  });
});
