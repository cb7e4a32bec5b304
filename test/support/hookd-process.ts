// Runs the built bin/hookd as a real child process, so tests can do what app.inject
// cannot: kill it mid-write, signal it, measure its memory, race several of them.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HOOKD_BIN = resolve(fileURLToPath(new URL('../../bin/hookd', import.meta.url)));

export interface HookdExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface HookdProcess {
  /** http://127.0.0.1:PORT from the "hookd listening" log line. */
  url: string;
  /** bin/hookd execs Node, so this is the server's own pid (/proc/<pid>/status is its memory). */
  pid: number;
  /** Every stdout line so far (pino JSON), appended as the process writes. */
  lines: string[];
  stderr: string[];
  /** Sends a signal (SIGKILL by default); returns false when the process is already gone. */
  kill(signal?: NodeJS.Signals): boolean;
  /** Settles once the process has exited, never rejects. */
  exited: Promise<HookdExit>;
  /** True until `exited` has settled. */
  running(): boolean;
  /** stdout lines that parse as JSON log records. */
  logs(): LogRecord[];
}

export interface LogRecord {
  level: number;
  msg?: string;
  [key: string]: unknown;
}

export interface RunResult extends HookdExit {
  stdout: string;
  stderr: string;
}

export interface StartOptions {
  /** Added to a clean environment (no inherited HOOKD_ or seed names). */
  env?: Record<string, string>;
  /** Extra `serve` arguments; `--port 0` is always passed unless args set a port. */
  args?: string[];
  timeoutMs?: number;
}

const live = new Set<ChildProcess>();
const tempHomes = new Set<string>();

// The seed's unprefixed names count too: a developer's DATABASE_URL must never leak in.
const CONFIG_NAMES = /^(HOOKD_|DATABASE_URL$|STORAGE_TYPE$|JSONL_PATH$|LOG_LEVEL$|HOST$|PORT$|NODE_OPTIONS$|VITEST)/;

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!CONFIG_NAMES.test(name)) env[name] = value;
  if (extra.HOOKD_HOME === undefined) {
    // A throwaway home, so nothing a test does can touch ~/.hookd.
    const home = mkdtempSync(join(tmpdir(), 'hookd-home-'));
    tempHomes.add(home);
    env.HOOKD_HOME = home;
  }
  return { ...env, ...extra };
}

function track(child: ChildProcess): Promise<HookdExit> {
  live.add(child);
  return new Promise((resolve) => {
    const done = (code: number | null, signal: NodeJS.Signals | null) => {
      live.delete(child);
      resolve({ code, signal });
    };
    child.once('exit', done);
    // A spawn failure emits 'error' without 'exit'.
    child.once('error', () => done(null, null));
  });
}

function splitLines(stream: NodeJS.ReadableStream, into: string[]): void {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop()!;
    into.push(...parts.filter((line) => line.length > 0));
  });
  stream.on('end', () => {
    if (rest) into.push(rest);
    rest = '';
  });
}

/** Spawns `bin/hookd ...args` and tracks it for stopAllHookd; lines arrive as they are written. */
export function spawnHookd(args: string[], env: Record<string, string> = {}) {
  const child = spawn(HOOKD_BIN, args, { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  splitLines(child.stdout!, stdout);
  splitLines(child.stderr!, stderr);
  const exited = track(child);
  return { child, stdout, stderr, exited };
}

/** Runs a short command (migrate, a refused serve) to completion. */
export async function runHookd(args: string[], env: Record<string, string> = {}, timeoutMs = 30_000): Promise<RunResult> {
  const { child, stdout, stderr, exited } = spawnHookd(args, env);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exit = await exited;
  clearTimeout(timer);
  // 'exit' may fire before the pipes are drained.
  await Promise.all([closed(child.stdout), closed(child.stderr)]);
  if (exit.signal === 'SIGKILL') throw new Error(`hookd ${args.join(' ')} did not finish within ${timeoutMs} ms\n${stderr.join('\n')}`);
  return { ...exit, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

function closed(stream: NodeJS.ReadableStream | null): Promise<void> {
  if (!stream || (stream as { closed?: boolean }).closed) return Promise.resolve();
  return new Promise((resolve) => stream.once('close', () => resolve()));
}

function parseLogs(lines: string[]): LogRecord[] {
  const records: LogRecord[] = [];
  for (const line of lines) {
    try {
      const value = JSON.parse(line) as unknown;
      if (value && typeof value === 'object' && typeof (value as LogRecord).level === 'number') records.push(value as LogRecord);
    } catch {
      // Not every line need be a log record (a crash prints a plain stack).
    }
  }
  return records;
}

/** Starts `hookd serve --port 0` and resolves once it logs where it listens. */
export async function startHookd(options: StartOptions = {}): Promise<HookdProcess> {
  const args = ['serve', ...(options.args ?? [])];
  if (!args.includes('--port')) args.push('--port', '0');
  const { child, stdout, stderr, exited } = spawnHookd(args, options.env ?? {});
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  let settled = false;
  void exited.then(() => (settled = true));

  let url: string | undefined;
  while (!url) {
    url = parseLogs(stdout).find((r) => r.msg === 'hookd listening')?.url as string | undefined;
    if (url) break;
    if (settled || Date.now() > deadline) {
      if (!settled) child.kill('SIGKILL');
      const exit = await exited;
      throw new Error(
        `hookd serve did not start (${settled ? `exited code=${exit.code} signal=${exit.signal}` : `no listening line in ${timeoutMs} ms`})\n` +
          `stdout:\n${stdout.slice(-20).join('\n')}\nstderr:\n${stderr.slice(-20).join('\n')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    url,
    pid: child.pid!,
    lines: stdout,
    stderr,
    exited,
    kill: (signal: NodeJS.Signals = 'SIGKILL') => !settled && child.kill(signal),
    running: () => !settled,
    logs: () => parseLogs(stdout),
  };
}

/** SIGKILLs every hookd a test left running and waits for them; call from afterEach/afterAll. */
export async function stopAllHookd(): Promise<void> {
  const children = [...live];
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
  for (const home of tempHomes) rmSync(home, { recursive: true, force: true });
  tempHomes.clear();
}

// Last resort when a worker dies between tests: no server may outlive it holding a port
// or a database connection.
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});
