import { dirname } from 'node:path';
import type { SqliteSync } from '../core/config.ts';
import { fs } from '../core/builtin-fs.ts';
import type { SqliteDatabase, SqliteDriver } from './database.ts';

export interface SqliteOptions {
  path: string;
  sync: SqliteSync;
  /** How long a writer waits for another process (hooks, CLI) holding the lock. */
  busyTimeoutMs?: number;
  readonly?: boolean;
  /** False when a checkpoint thread does the WAL checkpoints (see sqlite-checkpoint-thread.ts). */
  autoCheckpoint?: boolean;
}

/** The file's folder, created before a driver opens the file (owner-only: it holds prompts). */
export function prepareSqlitePath(options: SqliteOptions): void {
  if (!options.readonly) fs.mkdirSync(dirname(options.path), { recursive: true, mode: 0o700 });
}

/** The same settings whichever driver opened the file, as a SqliteDatabase. */
export function setUpSqlite(sqlite: SqliteDriver, options: SqliteOptions): SqliteDatabase {
  sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  if (!options.readonly) {
    sqlite.pragma('journal_mode = WAL');
    // FULL syncs the WAL on every commit, so an acknowledged event survives power loss;
    // NORMAL only survives a crash of the process.
    sqlite.pragma(`synchronous = ${options.sync === 'full' ? 'FULL' : 'NORMAL'}`);
    if (options.autoCheckpoint === false) sqlite.pragma('wal_autocheckpoint = 0');
    // After a checkpoint resets the WAL, truncate it to this size instead of keeping its peak.
    sqlite.pragma('journal_size_limit = 67108864');
  }
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('cache_size = -32000');
  return {
    kind: 'sqlite',
    sqlite,
    path: options.path,
    close: async () => {
      if (sqlite.open) sqlite.close();
    },
  };
}
