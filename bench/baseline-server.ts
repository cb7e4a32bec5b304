// The baseline hookd is held to: what the fastest peer (a Bun observability server for
// Claude Code) does per event, rebuilt on hookd's own stack so that only the work differs.
// One table shaped like the peer's, one prepared INSERT per request, answered once SQLite
// returns; no dedup, no validation, nothing derived. Measured in the same run as hookd, with
// the same bodies and load generator, it makes the floors ratios that survive a slower or
// busier machine.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { onCleanup } from './cleanup.ts';
import { type ForkedServer, startForkedServer } from './forked-server.ts';

const SELF = fileURLToPath(import.meta.url);
const FLAG = '--baseline-server';

export const BASELINE_LABEL =
  'baseline: Fastify + better-sqlite3, one prepared insert per request, WAL synchronous=NORMAL, 4 indexes, nothing derived';

const SCHEMA = `
  CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source_app TEXT NOT NULL,
    session_id TEXT NOT NULL,
    hook_event_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    chat TEXT,
    summary TEXT,
    timestamp INTEGER NOT NULL
  );
  CREATE INDEX idx_source_app ON events(source_app);
  CREATE INDEX idx_session_id ON events(session_id);
  CREATE INDEX idx_hook_event_type ON events(hook_event_type);
  CREATE INDEX idx_timestamp ON events(timestamp);
`;

/** Starts the baseline on a fresh database in a temp dir, removed again on stop (or ctrl-C). */
export async function startBaselineServer(): Promise<ForkedServer> {
  const dir = mkdtempSync(join(tmpdir(), 'hookd-bench-baseline-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  // Registered before the server, so cleanup (newest first) stops the server before removing its files.
  const unregister = onCleanup(`temp dir ${dir}`, remove);
  const server = await startForkedServer('baseline server', SELF, [FLAG, dir]).catch((error: unknown) => {
    remove();
    unregister();
    throw error;
  });
  return {
    ...server,
    async stop() {
      await server.stop();
      remove();
      unregister();
    },
  };
}

type Row = [sourceApp: string, sessionId: string, eventType: string, payload: string, chat: null, summary: null, timestamp: number];

const text = (value: unknown, fallback: string) => (typeof value === 'string' ? value : fallback);

/** The peer's columns from one wire event; a missing field gets a default rather than a 400. */
function rowOf(body: unknown): Row {
  const event = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const when = typeof event.timestamp === 'number' ? event.timestamp : Date.parse(text(event.timestamp, ''));
  return [
    text(event.source, 'unknown'),
    text(event.session_id, 'unknown'),
    text(event.event_type, 'unknown'),
    JSON.stringify(event.data ?? body),
    null,
    null,
    Number.isFinite(when) ? when : Date.now(),
  ];
}

async function serveBaseline(dir: string): Promise<void> {
  const file = join(dir, 'events.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);
  const insert = db.prepare<Row>(
    'INSERT INTO events (source_app, session_id, hook_event_type, payload, chat, summary, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertAll = db.transaction((events: readonly unknown[]) => {
    for (const event of events) insert.run(...rowOf(event));
  });

  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024 });
  const accepted = (count: number) => ({ accepted: count, duplicates: 0, message: 'Events accepted' });
  app.post('/events', async (request, reply) => {
    insert.run(...rowOf(request.body));
    return reply.code(202).send(accepted(1));
  });
  app.post('/events/batch', async (request, reply) => {
    if (!Array.isArray(request.body)) return reply.code(400).send({ message: 'expected an array of events' });
    insertAll(request.body);
    return reply.code(202).send(accepted(request.body.length));
  });
  await app.listen({ host: '127.0.0.1', port: 0 });

  const pkg = (name: string) =>
    (JSON.parse(readFileSync(createRequire(import.meta.url).resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
  const sqlite = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  const address = app.server.address();
  process.send!({
    port: typeof address === 'object' && address ? address.port : 0,
    facts: `Fastify ${app.version}, better-sqlite3 ${pkg('better-sqlite3')}, SQLite ${sqlite}; file in ${tmpdir()}`,
  });
  process.once(
    'SIGTERM',
    () =>
      void app.close().then(() => {
        db.close();
        process.exit(0);
      }),
  );
}

const at = process.argv.indexOf(FLAG);
if (at >= 0 && process.send) await serveBaseline(process.argv[at + 1]!);
