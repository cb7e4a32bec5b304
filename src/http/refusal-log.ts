import type { ServiceLog } from '../core/audit-log.ts';

/** How often, at most, an ongoing run of refusals is summed up in the log. */
export const SUMMARY_EVERY_MS = 10_000;

interface Run {
  message: string;
  since: number;
  total: number;
  /** Refusals since the last line about this run. */
  unlogged: number;
  loggedAt: number;
}

/**
 * The log of 503s: an outage refuses every request, and a line each (tens of thousands a
 * minute while PostgreSQL is stopped under load) would bury everything else. So it logs when a kind of refusal
 * starts, a summary at most every SUMMARY_EVERY_MS while it goes on, and when a request
 * succeeds again, with the totals.
 */
export class RefusalLog {
  private readonly runs = new Map<string, Run>();
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  refused(log: Pick<ServiceLog, 'warn'>, code: string, message: string): void {
    const now = this.now();
    const run = this.runs.get(code);
    if (!run) {
      this.runs.set(code, { message, since: now, total: 1, unlogged: 0, loggedAt: now });
      log.warn({ code }, `${message}: answering 503 until it recovers (a summary every ${SUMMARY_EVERY_MS / 1000} s)`);
      return;
    }
    run.total++;
    run.unlogged++;
    if (now - run.loggedAt < SUMMARY_EVERY_MS) return;
    log.warn(
      { code, refused: run.unlogged, total: run.total, seconds: Math.round((now - run.since) / 1000) },
      `still answering 503: ${run.message}`,
    );
    run.unlogged = 0;
    run.loggedAt = now;
  }

  /** A request the storage served: every run of refusals is over. */
  served(log: Pick<ServiceLog, 'info'>): void {
    if (this.runs.size === 0) return;
    const now = this.now();
    for (const [code, run] of this.runs) {
      log.info({ code, refused: run.total, seconds: Math.round((now - run.since) / 1000) }, `recovered: ${run.message} no longer`);
    }
    this.runs.clear();
  }
}
