import type { Config } from '../config/config.ts';
import type { Database } from '../db/database.ts';
import { createJsonlEventStore } from '../modules/events/event-store-jsonl.ts';
import { createPostgresEventStore } from '../modules/events/event-store-postgres.ts';
import { createSqliteEventStore } from '../modules/events/event-store-sqlite.ts';
import { withSqliteWriteThread } from '../modules/events/event-store-sqlite-threaded.ts';
import type { EventStore } from '../modules/events/event-store.ts';
import { PartitionManager } from '../modules/partitions/partition-manager.ts';
import { createPostgresTokenStore } from '../modules/tokens/token-store-postgres.ts';
import { createSqliteTokenStore } from '../modules/tokens/token-store-sqlite.ts';
import type { TokenStore } from '../modules/tokens/token.ts';

export interface Stores {
  events: EventStore;
  /** Null with JSONL storage, which has nowhere to keep tokens. */
  tokens: TokenStore | null;
  /** PostgreSQL only: SQLite tables are not partitioned. */
  partitions: PartitionManager | null;
  close(): Promise<void>;
}

/** The one place that picks store implementations for the open storage. */
export interface StoreOptions {
  /**
   * Write SQLite from a worker thread so fsync waits do not stall HTTP (the server);
   * short-lived commands write inline and skip the thread's start-up.
   */
  sqliteWriteThread?: boolean;
}

export function createStores(db: Database | null, config: Config, options: StoreOptions = {}): Stores {
  if (!db) {
    const events = createJsonlEventStore(config.jsonlPath);
    return { events, tokens: null, partitions: null, close: () => events.close() };
  }
  if (db.kind === 'sqlite') {
    const reads = createSqliteEventStore(db);
    if (!options.sqliteWriteThread) {
      return { events: reads, tokens: createSqliteTokenStore(db), partitions: null, close: () => db.close() };
    }
    const events = withSqliteWriteThread(reads, db, config.sqliteSync);
    return {
      events,
      tokens: createSqliteTokenStore(db),
      partitions: null,
      close: async () => {
        await events.close();
        await db.close();
      },
    };
  }
  const partitions = new PartitionManager(db);
  return {
    events: createPostgresEventStore(db, partitions),
    tokens: createPostgresTokenStore(db),
    partitions,
    close: () => db.close(),
  };
}
