// What the figures were measured on, printed with them: a number without its machine
// (and without what else ran on it) cannot be compared with anything.
import { execFileSync } from 'node:child_process';
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { arch, cpus, loadavg, release, tmpdir, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface MachineFacts {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  node: string;
  /** Mean time of one 4 KiB write + fdatasync in the temp dir: the floor under every durable commit. */
  fdatasyncMs: number;
  loadAverage: string;
  /** The hookd code measured: commit, and whether src/ or migrations/ had uncommitted changes. */
  revision: string;
}

function revision(): string {
  try {
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const git = (...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const sha = git('rev-parse', '--short', 'HEAD');
    const dirty = git('status', '--porcelain', '--', 'src', 'migrations') !== '';
    return dirty ? `${sha} + uncommitted changes in src/ or migrations/` : sha;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

function probeFdatasync(ms = 1000): number {
  const dir = mkdtempSync(join(tmpdir(), 'hookd-bench-fsync-'));
  try {
    const fd = openSync(join(dir, 'probe'), 'w');
    const block = Buffer.alloc(4096, 7);
    let count = 0;
    const started = performance.now();
    while (performance.now() - started < ms) {
      writeSync(fd, block, 0, block.length, (count % 256) * 4096);
      fdatasyncSync(fd);
      count++;
    }
    const mean = (performance.now() - started) / count;
    closeSync(fd);
    return mean;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function machineFacts(): MachineFacts {
  const cpuList = cpus();
  return {
    cores: cpuList.length,
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${type()} ${release()} ${arch()}`,
    node: process.version,
    fdatasyncMs: probeFdatasync(),
    loadAverage: loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
    revision: revision(),
  };
}
