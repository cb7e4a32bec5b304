// Runs the built bin/hookd as its own process, the way users run it, so the figures
// include Fastify, the process boundary and the real configuration path.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onCleanup } from './cleanup.ts';
import { freePort } from '../test/support/postgres-cluster.ts';

const HOOKD_BIN = fileURLToPath(new URL('../bin/hookd', import.meta.url));
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

// A developer's own DATABASE_URL or HOOKD_* settings must not leak into the server.
const CONFIG_NAMES = /^(HOOKD_|DATABASE_URL$|STORAGE_TYPE$|JSONL_PATH$|LOG_LEVEL$|HOST$|PORT$|NODE_OPTIONS$)/;

export interface HookdServerOptions {
  /** Storage settings: HOOKD_HOME, HOOKD_DATABASE_URL, HOOKD_SQLITE_SYNC ... */
  env: Record<string, string>;
  /** When set, the server writes a V8 CPU profile there as it exits. */
  cpuProfileDir?: string;
}

export interface HookdServer {
  baseUrl: string;
  pid: number;
  /** GET /metrics/prometheus. */
  prometheus(): Promise<string>;
  /** The server's last lines of output (warnings and errors at the benches' log level). */
  recentOutput(): string;
  /** SIGTERM (the server drains its queue and closes storage), then waits for the exit. */
  stop(): Promise<void>;
}

function serverEnv(options: HookdServerOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!CONFIG_NAMES.test(name)) env[name] = value;
  env.HOOKD_LOG_LEVEL = 'warn';
  if (options.cpuProfileDir) env.NODE_OPTIONS = `--cpu-prof --cpu-prof-dir=${options.cpuProfileDir}`;
  return { ...env, ...options.env };
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startHookdServer(options: HookdServerOptions): Promise<HookdServer> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(HOOKD_BIN, ['serve', '--host', '127.0.0.1', '--port', String(port)], {
    env: serverEnv(options),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Kept for the error message when the server does not come up or dies mid-run.
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString('utf8'));
    if (output.length > 200) output.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited(child);
    clearTimeout(timer);
  };
  const unregister = onCleanup(`hookd server ${child.pid}`, stop);

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      unregister();
      throw new Error(`hookd serve exited (code ${child.exitCode}) before it was ready:\n${output.join('')}`);
    }
    try {
      const response = await fetch(`${baseUrl}/health`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      unregister();
      throw new Error(`hookd serve was not healthy within ${READY_TIMEOUT_MS} ms:\n${output.join('')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    baseUrl,
    pid: child.pid!,
    async prometheus() {
      const response = await fetch(`${baseUrl}/metrics/prometheus`);
      if (!response.ok) throw new Error(`GET /metrics/prometheus answered ${response.status}`);
      return response.text();
    },
    recentOutput: () => output.join(''),
    async stop() {
      await stop();
      unregister();
      if (child.exitCode !== 0) {
        console.error(`hookd serve exited with code ${child.exitCode} (signal ${child.signalCode}):\n${output.join('')}`);
      }
    },
  };
}
