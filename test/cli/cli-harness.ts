// Runs the real bin/hookd as a user would, against a test database: the CLI's parsing,
// exit codes and the split between stdout and stderr are part of what is tested.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../src/config/config.ts';
import { openRuntime, type Runtime } from '../../src/server/runtime.ts';
import { createTestDatabase, type Dialect } from '../support/test-database.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/hookd');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliContext {
  url: string;
  home: string;
  env: Record<string, string>;
  /** Runs `hookd ...args`; never rejects on a non-zero exit, which tests assert on. */
  run(args: string[], extraEnv?: Record<string, string>): Promise<CliResult>;
  /** The same storage opened in this process, for seeding and checking behind the CLI. */
  withRuntime<T>(fn: (runtime: Runtime) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function runHookd(args: string[], env: Record<string, string>, timeout = 30_000): Promise<CliResult> {
  if (!existsSync(join(ROOT, 'dist/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  return new Promise((done) => {
    execFile(BIN, args, { env: { PATH: process.env.PATH ?? '', ...env }, timeout, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

/** A fresh database of the dialect and an empty HOOKD_HOME, both removed by close(). */
export async function createCliContext(dialect: Dialect): Promise<CliContext> {
  const database = await createTestDatabase(dialect);
  const home = mkdtempSync(join(tmpdir(), 'hookd-cli-'));
  const env = { HOOKD_DATABASE_URL: database.url, HOOKD_HOME: home, CI: 'true' };
  return {
    url: database.url,
    home,
    env,
    run: (args, extraEnv = {}) => runHookd(args, { ...env, ...extraEnv }),
    async withRuntime(fn) {
      const runtime = await openRuntime(loadConfig(env));
      try {
        return await fn(runtime);
      } finally {
        await runtime.services.close();
      }
    },
    async close() {
      rmSync(home, { recursive: true, force: true });
      await database.cleanup();
    },
  };
}

/** Lines of output without the final empty one. */
export function lines(text: string): string[] {
  if (text === '') return [];
  return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
}
