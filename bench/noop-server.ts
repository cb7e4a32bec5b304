// The bare HTTP server (BENCH_NOOP=1): the Fastify hookd uses, parsing the same bodies and
// answering 202 without storing anything. What it reaches on this machine, with the load
// generator beside it, is the most any Fastify-based ingest could reach here.
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { type ForkedServer, startForkedServer } from './forked-server.ts';

const SELF = fileURLToPath(import.meta.url);

export function startNoopServer(): Promise<ForkedServer> {
  return startForkedServer('no-op server', SELF, ['--noop-server']);
}

async function serveNoop(): Promise<void> {
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024 });
  const accepted = (count: number) => ({ accepted: count, duplicates: 0, message: 'Events accepted' });
  app.post('/events', async (_request, reply) => reply.code(202).send(accepted(1)));
  app.post('/events/batch', async (request, reply) => reply.code(202).send(accepted((request.body as unknown[]).length)));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  process.send!({ port: typeof address === 'object' && address ? address.port : 0, facts: `Fastify ${app.version}, no storage` });
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

if (process.argv.includes('--noop-server') && process.send) await serveNoop();
