// Runs the real bin/hookd as a user would, against a test database: the CLI's parsing,
// exit codes and the split between stdout and stderr are part of what is tested.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../src/core/config.ts';
import { openRuntime, type Runtime } from '../../src/runtime/runtime.ts';
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
    execFile(
      BIN,
      args,
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
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

/**
 * Two sessions for the session commands, stored through ingest: `${prefix}-1` started with
 * a model and one failed Bash call, `${prefix}-2` ended by logout.
 */
export async function seedTwoSessions(cli: CliContext, prefix: string): Promise<void> {
  await cli.withRuntime(async ({ services }) => {
    const e = (session: string, type: string, iso: string, data: Record<string, unknown> = {}) => ({
      session_id: session,
      event_type: type,
      timestamp: iso,
      source: 'claude-code',
      data: { cwd: '/home/ana/src/billing', ...data },
    });
    await services.ingest.ingestBatch([
      e(`${prefix}-1`, 'session_started', '2026-11-04T09:00:00Z', { model: 'claude-sonnet-4-5' }),
      e(`${prefix}-1`, 'tool_execution_started', '2026-11-04T09:00:01Z', {
        tool_name: 'Bash',
        tool_use_id: 't1',
        tool_input: { command: 'npm test' },
      }),
      e(`${prefix}-1`, 'tool_execution_failed', '2026-11-04T09:00:04Z', { tool_name: 'Bash', tool_use_id: 't1', error: 'Exit code 1' }),
      e(`${prefix}-2`, 'session_ended', '2026-11-04T08:00:00Z', { reason: 'logout' }),
    ]);
  });
}
