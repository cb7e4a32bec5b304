import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config, type Env } from '../../src/core/config.ts';
import type { ServiceLog } from '../../src/core/audit-log.ts';
import { buildApp } from '../../src/http/app.ts';
import { openRuntime, type Runtime } from '../../src/runtime/runtime.ts';
import { createTestDatabase, type Dialect } from './test-database.ts';

export interface TestApp {
  app: FastifyInstance;
  runtime: Runtime;
  config: Config;
  /** The DATABASE_URL the app runs on, for a second process or a direct look. */
  url: string;
  close(): Promise<void>;
}

/** A fully wired hookd on a fresh database of the dialect, driven through app.inject. */
export async function createTestApp(dialect: Dialect, env: Env = {}, options: { log?: ServiceLog } = {}): Promise<TestApp> {
  const database = await createTestDatabase(dialect);
  const config = loadConfig({ HOOKD_HOME: '/nonexistent-hookd-home', ...env, HOOKD_DATABASE_URL: database.url });
  const runtime = await openRuntime(config, options.log ? { log: options.log } : {});
  const app = await buildApp(runtime.services);
  return {
    app,
    runtime,
    config,
    url: database.url,
    async close() {
      await app.close();
      await runtime.services.close();
      await database.cleanup();
    },
  };
}

/** Default headers of a loopback client (app.inject sends from 127.0.0.1 with Host localhost:80). */
export const JSON_HEADERS = { 'content-type': 'application/json' };

/** Puts the app on a real loopback port (for the SDK and streams, which need real HTTP); its base URL. */
export async function listen(t: TestApp): Promise<string> {
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  if (!address || typeof address !== 'object') throw new Error('not listening');
  return `http://127.0.0.1:${address.port}`;
}

/** A ServiceLog that keeps what it is given, for tests that read the warnings and `audit` lines. */
export function recordingLog(): ServiceLog & { lines: { level: 'info' | 'warn'; fields: Record<string, unknown>; message: string }[] } {
  const lines: { level: 'info' | 'warn'; fields: Record<string, unknown>; message: string }[] = [];
  return {
    lines,
    info: (fields, message) => lines.push({ level: 'info', fields, message }),
    warn: (fields, message) => lines.push({ level: 'warn', fields, message }),
  };
}
