// Starts a throwaway PostgreSQL cluster for one test run, so integration suites
// exercise a real server instead of a mock or a shared developer database.
import { execFileSync } from 'node:child_process';
import {
  accessSync,
  chownSync,
  constants,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import pg from 'pg';

export interface PostgresCluster {
  adminUrl: string;
  stop(): Promise<void>;
  /** Stops the server but keeps its data, to simulate an outage. */
  pause(): Promise<void>;
  /** Starts a paused server again on the same port and data. */
  resume(): Promise<void>;
}

export interface ClusterOptions {
  /** Durable settings (fsync, full_page_writes) for benchmarks; tests do without. */
  durable?: boolean;
}

export type ClusterResult = PostgresCluster | { skipped: string };

const BINARIES = ['initdb', 'pg_ctl', 'postgres'];
const READY_TIMEOUT_MS = 30_000;

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function hasAllBinaries(dir: string): boolean {
  return BINARIES.every((name) => isExecutable(join(dir, name)));
}

/** PATH first (honours an explicit choice), then the highest Debian/Ubuntu versioned install. */
export function findPostgresBinDir(): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const initdb = join(dir, 'initdb');
    // Follow symlinks so pg_ctl and postgres come from the same install as initdb.
    if (isExecutable(initdb)) {
      const real = dirname(realpathSync(initdb));
      if (hasAllBinaries(real)) return real;
    }
  }
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => /^\d+(\.\d+)?$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const dir = join(root, version, 'bin');
    if (hasAllBinaries(dir)) return dir;
  }
  return null;
}

function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

function commandExists(name: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && isExecutable(join(dir, name)));
}

type Runner = (file: string, args: string[]) => string;

/** PostgreSQL refuses to run as root, so root drops to the `postgres` OS user. */
function makeRunner(cwd: string): Runner | { skipped: string } {
  const run = (file: string, args: string[]) => execFileSync(file, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (process.getuid?.() !== 0) return run;
  if (commandExists('runuser')) return (file, args) => run('runuser', ['-u', 'postgres', '--', file, ...args]);
  if (commandExists('su')) {
    return (file, args) => run('su', ['-s', '/bin/sh', 'postgres', '-c', [file, ...args].map(shellQuote).join(' ')]);
  }
  return { skipped: 'running as root and neither runuser nor su is available to drop to the postgres user' };
}

function postgresUserIds(): { uid: number; gid: number } | null {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

/** The postgres user must be able to reach its data dir through every ancestor. */
function untraversableAncestor(dir: string): string | null {
  for (let d = dir; ; d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) return d;
    if (dirname(d) === d) return null;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(adminUrl: string, logFile: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      lastError = error;
    } finally {
      await client.end().catch(() => {});
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n') : '(no log)';
  throw new Error(`PostgreSQL did not accept connections within ${READY_TIMEOUT_MS} ms: ${String(lastError)}\n${log}`);
}

export async function startPostgresCluster(clusterOptions: ClusterOptions = {}): Promise<ClusterResult> {
  const binDir = findPostgresBinDir();
  if (!binDir) return { skipped: 'no PostgreSQL server binaries (initdb, pg_ctl, postgres) on PATH or under /usr/lib/postgresql/*/bin' };

  const isRoot = process.getuid?.() === 0;
  const owner = isRoot ? postgresUserIds() : null;
  if (isRoot && !owner) return { skipped: 'running as root but there is no postgres OS user to run the server as' };
  if (isRoot) {
    const blocked = untraversableAncestor(tmpdir());
    if (blocked) return { skipped: `running as root and ${blocked} is not traversable by the postgres user` };
  }

  const baseDir = mkdtempSync(join(tmpdir(), 'hookd-pg-'));
  const dataDir = join(baseDir, 'data');
  const logFile = join(baseDir, 'postgres.log');
  const removeBaseDir = () => rmSync(baseDir, { recursive: true, force: true });
  if (owner) chownSync(baseDir, owner.uid, owner.gid);

  const runner = makeRunner(baseDir);
  if ('skipped' in runner) {
    removeBaseDir();
    return runner;
  }

  const pgCtl = join(binDir, 'pg_ctl');
  let started = false;
  const stopSync = () => {
    if (started) {
      started = false;
      try {
        runner(pgCtl, ['stop', '-D', dataDir, '-m', 'immediate', '-w']);
      } catch {
        // Already gone; removing the directory below is all that is left to do.
      }
    }
    removeBaseDir();
  };
  // An interrupted run must not leave a postmaster behind holding a port and a temp dir.
  const onExit = () => stopSync();
  const onSignal = (signal: NodeJS.Signals) => {
    stopSync();
    removeHandlers();
    process.kill(process.pid, signal);
  };
  const removeHandlers = () => {
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.on('exit', onExit);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    runner(join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
    const port = await freePort();
    const options = [
      `-p ${port}`,
      `-c listen_addresses=127.0.0.1`,
      `-c unix_socket_directories=${shellQuote(baseDir)}`,
      // Durability is irrelevant for a test cluster deleted at the end of the run;
      // benchmarks ask for the production default.
      clusterOptions.durable
        ? '-c fsync=on -c synchronous_commit=on -c full_page_writes=on'
        : '-c fsync=off -c synchronous_commit=on -c full_page_writes=off',
      '-c max_connections=300 -c shared_buffers=128MB',
    ].join(' ');
    started = true;
    runner(pgCtl, ['start', '-D', dataDir, '-l', logFile, '-W', '-o', options]);
    const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
    await waitUntilReady(adminUrl, logFile);
    return {
      adminUrl,
      async stop() {
        removeHandlers();
        stopSync();
      },
      async pause() {
        runner(pgCtl, ['stop', '-D', dataDir, '-m', 'fast', '-w']);
      },
      async resume() {
        runner(pgCtl, ['start', '-D', dataDir, '-l', logFile, '-W', '-o', options]);
        await waitUntilReady(adminUrl, logFile);
      },
    };
  } catch (error) {
    removeHandlers();
    stopSync();
    throw error;
  }
}
