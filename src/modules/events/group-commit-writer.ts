import { UnavailableError } from '../../core/app-error.ts';
import type { NormalizedEvent } from './event.ts';
import type { EventStore } from './event-store.ts';
import type { GroupOutcome } from './session-owners.ts';
import { toStorageError } from '../../db/storage-error.ts';

/** All the writer needs of a store: `hookd emit` passes the bare SQLite event writer. */
export type GroupStore = Pick<EventStore, 'writeGroups'>;

interface Pending {
  events: readonly NormalizedEvent[];
  teamBound: boolean;
  resolve(outcome: GroupOutcome): void;
  reject(error: unknown): void;
}

export interface WriterOptions {
  queueMaxEvents: number;
  maxEventsPerCommit: number;
  /** Most commits in flight at once. */
  concurrency: number;
  /** Queued events needed before a second (third, ...) commit starts beside a running one. */
  spillEvents: number;
  /** Awaited before each commit: holds commits back while derivation is too far behind. */
  admit?(): Promise<void>;
  onCommit?(events: number, requests: number, durationMs: number): void;
  onError?(error: unknown): void;
}

/**
 * Group commit: requests that arrive while a commit is running are merged into the next
 * one, so many small requests share one fsync. Each request's promise settles only after
 * the transaction holding its events has committed.
 */
export class GroupCommitWriter {
  private queue: Pending[] = [];
  private queuedEvents = 0;
  private inFlight = 0;
  private scheduled = false;
  private closing = false;
  private idleWaiters: (() => void)[] = [];
  private readonly store: GroupStore;
  private readonly options: WriterOptions;

  constructor(store: GroupStore, options: WriterOptions) {
    this.store = store;
    this.options = options;
  }

  get depth(): number {
    return this.queuedEvents;
  }

  /**
   * Resolves with the number of duplicates once the events are committed, or with why
   * none was stored: `teamBound` events naming another team's session (session-owners.ts).
   */
  submit(events: readonly NormalizedEvent[], teamBound = false): Promise<GroupOutcome> {
    if (this.closing) return Promise.reject(new UnavailableError('shutting_down', 'hookd is shutting down', 5));
    if (this.queuedEvents > 0 && this.queuedEvents + events.length > this.options.queueMaxEvents) {
      return Promise.reject(new UnavailableError('overloaded', 'the write queue is full; retry shortly', 1));
    }
    return new Promise<GroupOutcome>((resolve, reject) => {
      this.queue.push({ events, teamBound, resolve, reject });
      this.queuedEvents += events.length;
      this.schedule();
    });
  }

  /** Stops taking new events and resolves when everything queued is committed. */
  async drain(): Promise<void> {
    this.closing = true;
    if (this.queue.length === 0 && this.inFlight === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.options.concurrency) return;
    // A few queued events wait for the running commit and then go together: splitting
    // them over parallel commits would double the fsyncs, and fewer events/s would be stored.
    if (this.inFlight > 0 && this.queuedEvents < this.options.spillEvents) return;
    this.scheduled = true;
    // setImmediate lets every request already read in this turn of the event loop join.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private take(): Pending[] {
    const taken: Pending[] = [];
    let events = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      if (taken.length > 0 && events + next.events.length > this.options.maxEventsPerCommit) break;
      taken.push(this.queue.shift()!);
      events += next.events.length;
    }
    this.queuedEvents -= events;
    return taken;
  }

  private async flush(): Promise<void> {
    const batch = this.take();
    if (batch.length === 0) return this.settleIdle();
    this.inFlight++;
    // Timed only for an observer: the `performance` global loads perf_hooks, which
    // `hookd emit`, writing one event through this writer, would pay for nothing.
    const onCommit = this.options.onCommit;
    const started = onCommit ? performance.now() : 0;
    try {
      await this.options.admit?.();
      await this.commit(batch);
    } finally {
      this.inFlight--;
      const events = batch.reduce((n, p) => n + p.events.length, 0);
      onCommit?.(events, batch.length, performance.now() - started);
      if (this.queue.length > 0) this.schedule();
      else this.settleIdle();
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    try {
      const teamBound = batch.some((p) => p.teamBound) ? batch.map((p) => p.teamBound) : undefined;
      const outcomes = await this.store.writeGroups(
        batch.map((p) => p.events),
        teamBound,
      );
      batch.forEach((p, i) => p.resolve(outcomes[i]!));
    } catch (error) {
      if (batch.length === 1) {
        this.options.onError?.(error);
        batch[0]!.reject(toStorageError(error));
        return;
      }
      // One request's bad data must not fail the others merged with it: retry each alone.
      for (const pending of batch) await this.commit([pending]);
    }
  }

  private settleIdle(): void {
    if (this.queue.length === 0 && this.inFlight === 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }
}
