// The HTTP baseline: a bare Fastify (the version hookd uses) that parses the same bodies
// and answers 202 without storing anything. What it reaches on this machine, with the
// load generator beside it, is the most any Fastify-based ingest could reach here.
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { onCleanup } from './cleanup.ts';
import type { PromSnapshot } from './server-window.ts';

const SELF = fileURLToPath(import.meta.url);
// USER_HZ is 100 on every Linux architecture Node supports.
const TICKS_PER_SECOND = 100;

export interface NoopServer {
  baseUrl: string;
  pid: number;
  /** The process's CPU time, shaped like a /metrics/prometheus scrape. */
  snapshot(): PromSnapshot;
  stop(): Promise<void>;
}

export function processCpuSeconds(pid: number): number {
  // Fields 14 and 15 of /proc/<pid>/stat, counted after the ")" that ends the name.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

export function startNoopServer(): Promise<NoopServer> {
  return new Promise((resolve, reject) => {
    const child = fork(SELF, ['--noop-server'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const stop = async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await gone;
    };
    const unregister = onCleanup(`no-op server ${child.pid}`, stop);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`no-op server exited (code ${code}) before listening`)));
    child.once('message', (message: { port: number }) => {
      resolve({
        baseUrl: `http://127.0.0.1:${message.port}`,
        pid: child.pid!,
        snapshot: () => new Map([['process_cpu_seconds_total', processCpuSeconds(child.pid!)]]),
        async stop() {
          await stop();
          unregister();
        },
      });
    });
  });
}

async function serveNoop(): Promise<void> {
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024 });
  const accepted = (count: number) => ({ accepted: count, duplicates: 0, message: 'Events accepted' });
  app.post('/events', async (_request, reply) => reply.code(202).send(accepted(1)));
  app.post('/events/batch', async (request, reply) => reply.code(202).send(accepted((request.body as unknown[]).length)));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  process.send!({ port: typeof address === 'object' && address ? address.port : 0 });
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

if (process.argv.includes('--noop-server') && process.send) await serveNoop();
