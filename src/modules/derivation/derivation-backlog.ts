/**
 * How far the derived tables (sessions, tool calls, rollups) trail the stored events. They
 * are written by passes after the events commit (session-deriver.ts), so under a burst
 * acknowledgements run ahead of them; this is what /metrics shows of that gap.
 */
export interface DerivationBacklog {
  /** Events stored and not derived yet; SQLite stops counting at 100,000 (derivation-backlog-sqlite.ts). */
  events: number;
  /** When the oldest of them was stored (epoch ms); null when there are none. */
  oldestStoredAt: number | null;
  /**
   * Events stored by every writer: the highest event id handed out. Ids are never reused,
   * and a few are spent without an event (SQLite spends one on each retried duplicate).
   */
  storedEvents: number;
}

/**
 * Events this process's derivation took that another writer stored (`hookd emit` writing
 * the file, another hookd process): this process's ingest counters never saw them.
 */
export interface OtherWriters {
  events: number;
}

/** Reads the backlog from the database, so it covers every process's commits. */
export type DerivationBacklogReader = () => Promise<DerivationBacklog>;
