/**
 * Writes to the derived session tables that are not ingest: removing a session, ending
 * stale ones, and recomputing a session from its stored events. One implementation per
 * dialect (session-maintenance-{sqlite,postgres}.ts); the rules they share live here and
 * in session-rebuild.ts.
 */
export interface SessionMaintenanceStore {
  /**
   * Removes the session row, its tool uses and all its events (and, on PostgreSQL, their
   * idempotency keys) in one transaction. False when there was nothing to remove.
   */
  delete(sessionId: string): Promise<boolean>;
  /**
   * Ends every open session whose last activity is at or before `cutoff` (epoch ms), with
   * end_reason `stale` and ended_at = its last activity. One UPDATE: safe with any number
   * of processes sweeping at once. Returns how many sessions it ended.
   */
  sweepStale(cutoff: number, now: number): Promise<number>;
  /** The smallest session id above `after` that has events or a sessions row; null past the last. */
  nextSessionId(after: string | null): Promise<string | null>;
  /**
   * Recomputes one session and its tool uses from its events, in one transaction. A
   * `stale` end, which the sweep wrote and no event records, is kept while no later event
   * came: the rebuild reproduces ingest plus the sweeps that ran, and does not run one itself.
   */
  rebuild(sessionId: string, options: RebuildOptions): Promise<SessionRebuild>;
}

export interface RebuildOptions {
  /** created_at/updated_at of rows the rebuild writes (a row that comes out unchanged keeps its own). */
  now: number;
}

export interface SessionRebuild {
  /** False when the session has no events (left): its rows were removed, not recreated. */
  exists: boolean;
  /** Events read. */
  events: number;
  /** Tool use rows the session has now. */
  toolUses: number;
  /** False when the rebuilt row equals the one before (its created_at/updated_at are then kept too). */
  changed: boolean;
}
