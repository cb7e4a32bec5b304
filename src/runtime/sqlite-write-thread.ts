import { parentPort, workerData } from 'node:worker_threads';
import type { PlanSettings } from '../modules/notifications/notification-plan.ts';
import type { SqliteSync } from '../core/config.ts';
import { createSqliteEventWriter } from '../modules/events/sqlite-event-writer.ts';
import { scheduleDerivation } from '../modules/derivation/session-deriver.ts';
import { knownEventsCollector, type KnownEvents } from '../modules/events/known-events.ts';
import { createSqliteDerivation } from '../modules/derivation/session-deriver-sqlite.ts';
import { createSqliteRuleFeed } from '../modules/automation/rule-feed-sqlite.ts';
import { RuleRunner } from '../modules/automation/rule-runner.ts';
import { TeamRules } from '../modules/automation/team-rules.ts';
import { createSqliteSessionStore } from '../modules/sessions/session-store-sqlite.ts';
import { createSqliteTeamStore } from '../modules/teams/team-store-sqlite.ts';
import { openSqlite } from '../db/sqlite-connection.ts';
import { unflatten, type RulesRequest, type ThreadRequest, type WriteReply } from '../modules/events/write-request.ts';

/**
 * The server's SQLite writes run here: a synchronous commit with synchronous=FULL waits
 * for fsync, and on the main thread that wait would stop HTTP for every client. Here
 * the main thread keeps reading requests, which join the next commit.
 *
 * The derivation passes (session-deriver.ts) and the team rules passes (rule-runner.ts)
 * run here too, between commits: they need the write lock, which this thread would
 * otherwise wait for (SQLite's busy handler sleeps, in steps up to 100 ms), and on the main
 * thread their reads, evaluation and fsync would stop HTTP.
 */
const { path, sync, deriveDelayMs, deriveBacklogMax, plan } = workerData as {
  path: string;
  sync: SqliteSync;
  deriveDelayMs: number;
  deriveBacklogMax: number;
  plan: PlanSettings;
};
const db = openSqlite({ path, sync, autoCheckpoint: false });
/**
 * Rules passes are background work and acknowledgements wait for this thread: a pass starts
 * only once no commit has come for COMMIT_GAP_MS (or after a second of waiting), and takes
 * THREAD_PASS_EVENTS, so a commit arriving meanwhile waits a few ms at most.
 */
const COMMIT_GAP_MS = 5;
const THREAD_PASS_EVENTS = 100;
// Events stored here and not derived yet, with the facts the main thread read at ingest.
const known: KnownEvents = new Map();
const collector = knownEventsCollector(known);
const write = createSqliteEventWriter(db.sqlite, collector.stored);
const derivation = createSqliteDerivation(db.sqlite, known, (events) => {
  parentPort!.postMessage({ id: 0, fromOtherWriters: events } satisfies WriteReply);
});
// The same schedule as everywhere else (session-deriver.ts), run on this thread's connection.
const passes = scheduleDerivation(derivation, deriveDelayMs);
// Id 0: a background pass failed; its events stay pending for the next one.
const reportBackground = (background: 'derivation' | 'rules') => (error: unknown) => {
  parentPort!.postMessage({
    id: 0,
    background,
    error: { code: (error as { code?: string }).code, message: String(error) },
  } satisfies WriteReply);
};
passes.onError(reportBackground('derivation'));
const rules = new RuleRunner(createSqliteRuleFeed(db), new TeamRules(createSqliteTeamStore(db)), createSqliteSessionStore(db), passes, {
  passEvents: THREAD_PASS_EVENTS,
  notifications: plan,
});
// The main thread's notification worker starts on what a pass here committed.
rules.onNotifications((count) => parentPort!.postMessage({ id: 0, notifications: count } satisfies WriteReply));
let loop: { stop(): Promise<void> } | null = null;
// When the last commit of events ended: background rules passes wait for a gap after it.
let lastWrite = -Infinity;
const deferRules = () => Math.max(0, lastWrite + COMMIT_GAP_MS - performance.now());

/** Rules requests take many passes; writes that arrive meanwhile are answered between them. */
async function runRules(request: RulesRequest): Promise<WriteReply> {
  switch (request.rules) {
    case 'pass':
      return { id: request.id, duplicates: [], covered: await rules.pass() };
    case 'catchUp':
      await rules.catchUp(request.withinMs);
      break;
    case 'start':
      loop ??= rules.startLoop({ intervalMs: request.intervalMs, onError: reportBackground('rules'), deferFor: deferRules });
      break;
    case 'stop':
      await loop?.stop();
      loop = null;
      break;
  }
  return { id: request.id, duplicates: [] };
}

const failure = (id: number, error: unknown): WriteReply => {
  const e = error as { code?: string; message?: string };
  return { id, error: { code: e.code, message: e.message ?? String(error) } };
};

parentPort!.on('message', (request: ThreadRequest) => {
  if ('rules' in request) {
    void runRules(request).then(
      (reply) => parentPort!.postMessage(reply),
      (error: unknown) => parentPort!.postMessage(failure(request.id, error)),
    );
    return;
  }
  let reply: WriteReply;
  try {
    if ('catchUp' in request) {
      derivation.catchUpSync();
      reply = { id: request.id, duplicates: [] };
    } else {
      // Derivation keeps up (HOOKD_DERIVE_BACKLOG_MAX): past the limit, what this thread
      // stored before is derived first, and the acknowledgement waits for it.
      while (known.size > deriveBacklogMax && derivation.passSync() > 0);
      try {
        reply = { id: request.id, duplicates: write(unflatten(request), request.teamBound) };
        collector.commit();
      } finally {
        collector.discard();
      }
      passes.kick();
      lastWrite = performance.now();
    }
  } catch (error) {
    reply = failure(request.id, error);
  }
  parentPort!.postMessage(reply);
});
parentPort!.on('close', () => {
  // Ends a waiting pass without running it; a pass is synchronous, so none is under way here.
  void passes.close();
  void loop?.stop();
  db.sqlite.close();
});
