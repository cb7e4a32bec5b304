import { join } from 'node:path';
import type { Config } from '../core/config.ts';
import type { SqliteDatabase } from '../db/database.ts';
import { GroupCommitWriter } from '../modules/events/group-commit-writer.ts';
import { defaultMigrationsRoot } from '../db/migration-files.ts';
import { openBuiltinSqlite } from '../db/sqlite-builtin.ts';
import { AppError } from '../core/app-error.ts';
import { createSqliteEventWriter } from '../modules/events/sqlite-event-writer.ts';
import type { NormalizedEvent } from '../modules/events/event.ts';
import { IngestService } from '../modules/events/ingest-service.ts';
import { canonicalFromHook } from '../modules/hooks/hook-adapter.ts';
import { envelopeOf } from '../modules/emit/captured-event.ts';
import { describeError } from '../modules/emit/emit-log.ts';
import type { EventSink, SendResult } from '../modules/emit/event-sink.ts';
import { fs } from '../core/builtin-fs.ts';

/**
 * Writes events straight into the SQLite file through the server's own ingest path (the
 * hook adapter, IngestService, the SQLite event insert; sessions and tool uses are derived
 * from the file's events by whichever process reads them next), so a session captured
 * without a server reads exactly like one posted to /hooks/{source}. No server threads: one short transaction and out.
 * Concurrent hooks queue on SQLite's write lock (busy_timeout in sqlite-connection.ts).
 */
export async function openSqliteSink(config: Config, deadline = Date.now() + BUSY_BUDGET_MS): Promise<EventSink> {
  const { db, ingest } = await whileBusy(() => openIngest(config, deadline), deadline);
  const store = async (events: NormalizedEvent[]) => whileBusy(() => ingest.store(events), deadline);
  return {
    target: config.sqlitePath,
    async send(events) {
      const results: SendResult[] = new Array(events.length);
      const valid: { index: number; event: NormalizedEvent }[] = [];
      for (const [index, event] of events.entries()) {
        try {
          valid.push({ index, event: ingest.validateOne(canonicalFromHook(event.payload, envelopeOf(event))) });
        } catch (error) {
          // The payload itself is refused: waiting will not change that.
          results[index] = { status: 'failed', reason: error instanceof AppError ? describeRefusal(error) : describeError(error) };
        }
      }
      if (valid.length === 0) return results;
      try {
        // One transaction for the lot: a replayed spool costs one fsync, not one per event.
        await store(valid.map((v) => v.event));
        for (const v of valid) results[v.index] = { status: 'sent' };
        return results;
      } catch (error) {
        if (isBusy(error)) return [...results.slice(0, valid[0]!.index), retry(config, error)];
      }
      // Something in the lot cannot be stored: each alone, so one event cannot hold back the others.
      for (const v of valid) {
        try {
          await store([v.event]);
          results[v.index] = { status: 'sent' };
        } catch (error) {
          if (isBusy(error)) return [...results.slice(0, v.index), retry(config, error)];
          results[v.index] = { status: 'failed', reason: `${config.sqlitePath}: ${describeError(error)}` };
        }
      }
      return results;
    },
    close: () => db.close(),
  };
}

function retry(config: Config, error: unknown): SendResult {
  return { status: 'retry', reason: `${config.sqlitePath}: ${describeError(error)}` };
}

async function openIngest(config: Config, deadline: number): Promise<{ db: SqliteDatabase; ingest: IngestService }> {
  // Waiting for another writer's lock counts against emit's one time budget.
  const db = openBuiltinSqlite({ path: config.sqlitePath, sync: config.sqliteSync, busyTimeoutMs: Math.max(1, deadline - Date.now()) });
  try {
    await ensureMigrated(db);
    // The bare insert, not the event store: emit reads nothing back, and the store would
    // load the derivation and its writers (a dozen modules) into every hook's start-up.
    const writeAll = createSqliteEventWriter(db.sqlite);
    const writer = new GroupCommitWriter({ writeGroups: async (groups, teamBound) => writeAll(groups, teamBound) }, config.writer);
    return { db, ingest: new IngestService(writer, config.limits) };
  } catch (error) {
    await db.close();
    throw error;
  }
}

// How long a caller with no budget of its own (the CLI's spool flush) waits for the lock.
const BUSY_BUDGET_MS = 5000;

/**
 * Retries `fn` while SQLite says busy, until `until`. busy_timeout covers waiting
 * for the write lock, but not every busy: on a new file, `PRAGMA journal_mode = WAL` needs
 * the exclusive lock, and two processes that both hold the shared lock and both want it
 * is a deadlock SQLite answers at once with SQLITE_BUSY, without waiting (seen in a few of
 * hundreds of 50-process starts on a new file). Opening again is safe.
 */
async function whileBusy<T>(fn: () => Promise<T>, until: number): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!isBusy(error) || Date.now() > until) throw error;
      // Jittered, so processes told busy together do not come back together.
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * Math.min(attempt, 5)));
    }
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'storage_unavailable' || /^SQLITE_(BUSY|LOCKED)/.test(code));
}

/**
 * Runs the migrator only when the file is behind the migrations shipped: the usual emit
 * then reads one row instead of reading and hashing every migration file and taking the
 * write lock. Several emits on a new file all see it behind; the migrator's lock (BEGIN
 * IMMEDIATE) lets the first one migrate and the others find it done.
 */
export async function ensureMigrated(db: SqliteDatabase): Promise<number[]> {
  // The highest number shipped, not how many: numbers are shared with PostgreSQL, which has some SQLite lacks.
  const shipped = Math.max(
    0,
    ...fs
      .readdirSync(join(defaultMigrationsRoot(), 'sqlite'))
      .filter((name) => name.endsWith('.up.sql'))
      .map((name) => Number.parseInt(name, 10)),
  );
  let newest = 0;
  try {
    newest = (db.sqlite.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  } catch {
    // No migrations table yet: a new file.
  }
  if (newest >= shipped) return [];
  const { Migrator } = await import('../db/migrator.ts');
  return new Migrator(db).up();
}

function describeRefusal(error: AppError): string {
  const problems = (error.details as { problems?: { field: string; message: string }[] } | undefined)?.problems;
  const list = problems?.map((p) => `${p.field}: ${p.message}`).join('; ');
  return `${error.code}: ${list || error.message}`;
}
