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
}

/** Reads the backlog from the database, so it covers every process's commits. */
export type DerivationBacklogReader = () => Promise<DerivationBacklog>;
