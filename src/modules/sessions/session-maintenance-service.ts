import type { SessionSettings } from '../../core/config.ts';
import { NotFoundError } from '../../core/app-error.ts';
import type { SessionDeriver } from '../derivation/session-deriver.ts';
import type { SessionMaintenanceStore, SessionRebuild } from './session-maintenance.ts';

export interface RebuildSummary {
  /** Sessions that exist after the rebuild. */
  sessions: number;
  /** Sessions rows removed because no event of theirs is left. */
  removed: number;
  /** Sessions whose rows (session or tool uses) came out different. */
  changed: number;
  events: number;
  tool_uses: number;
}

export interface RebuildRun {
  /** Only this session; otherwise every session with events or a row. */
  sessionId?: string;
  /** Called after each session, e.g. for a progress line. */
  onSession?(sessionId: string, result: SessionRebuild, totals: RebuildSummary): void;
}

/** The stale sweep and the rebuild of derived rows: upkeep that no request asks for. */
export class SessionMaintenanceService {
  private readonly store: SessionMaintenanceStore;
  private readonly settings: SessionSettings;
  private readonly deriver: SessionDeriver;

  constructor(store: SessionMaintenanceStore, settings: SessionSettings, deriver: SessionDeriver) {
    this.store = store;
    this.settings = settings;
    this.deriver = deriver;
  }

  get staleAfterMs(): number {
    return this.settings.staleAfterMs;
  }

  /** Sessions whose last event is at or before this time count as stale; null = the rule is off. */
  staleCutoff(now: number): number | null {
    return this.settings.staleAfterMs > 0 ? now - this.settings.staleAfterMs : null;
  }

  /** Ends open sessions without an event for HOOKD_SESSION_STALE_MS; returns how many. */
  async sweepStale(now = Date.now()): Promise<number> {
    const cutoff = this.staleCutoff(now);
    if (cutoff === null) return 0;
    // Activity still pending derivation would otherwise end a session that is busy.
    await this.deriver.catchUp();
    return this.store.sweepStale(cutoff, now);
  }

  /**
   * Recomputes sessions and tool uses from the stored events, one session per transaction
   * in session id order, so memory stays flat and ingest carries on beside it. Running it
   * again changes nothing.
   */
  async rebuild(run: RebuildRun = {}): Promise<RebuildSummary> {
    const totals: RebuildSummary = { sessions: 0, removed: 0, changed: 0, events: 0, tool_uses: 0 };
    const one = async (sessionId: string) => {
      const result = await this.store.rebuild(sessionId, { now: Date.now() });
      if (result.exists) totals.sessions++;
      else if (result.changed) totals.removed++;
      if (result.changed) totals.changed++;
      totals.events += result.events;
      totals.tool_uses += result.toolUses;
      run.onSession?.(sessionId, result, totals);
      return result;
    };
    if (run.sessionId !== undefined) {
      const result = await one(run.sessionId);
      if (!result.exists && !result.changed)
        throw new NotFoundError(`session ${run.sessionId} has no events and no row`, 'session_not_found');
      return totals;
    }
    for (let id = await this.store.nextSessionId(null); id !== null; id = await this.store.nextSessionId(id)) await one(id);
    return totals;
  }
}
