import { parentPort, workerData } from 'node:worker_threads';
import type { SqliteSync } from '../config/config.ts';
import { createSqliteEventWriter } from '../modules/events/sqlite-event-writer.ts';
import { scheduleDerivation } from '../modules/sessions/session-deriver.ts';
import { knownEventsCollector, type KnownEvents } from '../modules/sessions/known-events.ts';
import { createSqliteDerivation } from '../modules/sessions/session-deriver-sqlite.ts';
import { openSqlite } from './sqlite-connection.ts';
import { unflatten, type ThreadRequest, type WriteReply } from './write-request.ts';

/**
 * The server's SQLite writes run here: a synchronous commit with synchronous=FULL waits
 * for fsync, and on the main thread that wait would stop HTTP for every client. Here
 * the main thread keeps reading requests, which join the next commit.
 *
 * The derivation passes (session-deriver.ts) run here too, between commits: they need the
 * write lock, which this thread would otherwise wait for.
 */
const { path, sync, deriveDelayMs } = workerData as { path: string; sync: SqliteSync; deriveDelayMs: number };
const db = openSqlite({ path, sync, autoCheckpoint: false });
// Events stored here and not derived yet, with the facts the main thread read at ingest.
const known: KnownEvents = new Map();
const collector = knownEventsCollector(known);
const write = createSqliteEventWriter(db.sqlite, collector.stored);
const derivation = createSqliteDerivation(db.sqlite, known);
// The same schedule as everywhere else (session-deriver.ts), run on this thread's connection.
const passes = scheduleDerivation(derivation, deriveDelayMs);
// Id 0: a background pass failed; its events stay pending for the next one.
passes.onError((error) => {
  parentPort!.postMessage({ id: 0, error: { code: (error as { code?: string }).code, message: String(error) } } satisfies WriteReply);
});

parentPort!.on('message', (request: ThreadRequest) => {
  let reply: WriteReply;
  try {
    if ('catchUp' in request) {
      derivation.catchUpSync();
      reply = { id: request.id, duplicates: [] };
    } else {
      try {
        reply = { id: request.id, duplicates: write(unflatten(request)) };
        collector.commit();
      } finally {
        collector.discard();
      }
      passes.kick();
    }
  } catch (error) {
    const e = error as { code?: string; message?: string };
    reply = { id: request.id, error: { code: e.code, message: e.message ?? String(error) } };
  }
  parentPort!.postMessage(reply);
});
parentPort!.on('close', () => {
  // Ends a waiting pass without running it; a pass is synchronous, so none is under way here.
  void passes.close();
  db.sqlite.close();
});
