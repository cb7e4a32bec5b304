import type { StreamSettings } from '../../core/config.ts';
import { UnavailableError } from '../../core/app-error.ts';
import type { CanonicalEvent } from '../events/event.ts';
import { EventStream, NO_UPPER_BOUND, type StreamSink } from './event-stream.ts';
import type { EventTail, StreamFilter } from './event-tail.ts';

export interface StreamRequest {
  filter: StreamFilter;
  /** The resume cursor (Last-Event-ID), or null to start now. */
  after: number | null;
  /** Recent events to send first when starting now, oldest first. */
  backlog?: () => Promise<CanonicalEvent[]>;
  sink: StreamSink;
}

/** Commits of this process come close together; one poll serves a burst of them. */
const MIN_POLL_GAP_MS = 5;
/** How long a resume waits for a freshly started tail to settle (see EventTail.settled). */
const SETTLE_WAIT_MS = 10_000;
const SHUTTING_DOWN = 'server shutting down: reconnect with Last-Event-ID';

/**
 * One poller per process for every open stream: a single query per tick reads what is
 * new, in commit order without gaps (EventTail), and hands each event to the streams
 * whose filter it matches. It runs only while streams are open; a commit of this
 * process (notify) polls at once, and events written by other processes arrive within
 * `pollMs`.
 */
export class EventStreamHub {
  private readonly openTail: () => EventTail;
  private readonly settings: StreamSettings;
  private readonly streams = new Set<EventStream>();
  private tail: Promise<EventTail> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = 0;
  private heartbeat: NodeJS.Timeout | null = null;
  private polling = false;
  private again = false;
  private lastPoll = 0;
  /** Polls completed, and who waits for a poll that started after they asked (freshPoll). */
  private polls = 0;
  private pollWaiters: { after: number; resolve: () => void }[] = [];
  private closed = false;
  /** Consecutive failed polls (storage unreachable); the streams wait and resume after. */
  failures = 0;

  constructor(openTail: () => EventTail, settings: StreamSettings) {
    this.openTail = openTail;
    this.settings = settings;
  }

  get size(): number {
    return this.streams.size;
  }

  /** Events were committed by this process: poll now rather than at the next tick. */
  notify(): void {
    if (this.streams.size > 0 && this.tail) this.schedule(0);
  }

  /** Opens a stream; its catch-up and backlog are sent before it goes live. */
  async open(request: StreamRequest): Promise<EventStream> {
    if (this.closed) {
      request.sink.end(SHUTTING_DOWN);
      throw new UnavailableError('shutting_down', 'hookd is shutting down', 5);
    }
    const stream = new EventStream(request.filter, request.after, request.sink, (s) => this.detach(s));
    request.sink.onGone(() => stream.close());
    this.streams.add(stream);
    this.startTimers();
    try {
      const tail = await this.currentTail();
      if (request.after !== null) {
        await this.settled(tail);
        // The bulk of a catch-up goes first without holding live events; then, subscribed,
        // a short replay up to the tail's position covers what committed meanwhile.
        await stream.replay(tail, NO_UPPER_BOUND);
        stream.subscribe();
        await stream.replay(tail, tail.top);
      } else {
        // A shared tail may lag behind the store: catch it up first, so that what committed
        // before this request is history (the backlog's to send), not live events.
        await Promise.race([this.freshPoll(), new Promise((resolve) => setTimeout(resolve, SETTLE_WAIT_MS).unref())]);
        stream.dropThrough(tail.safe);
        // The start cursor, read before the backlog query: events dispatched since wait in
        // the stream's buffer and come after the backlog.
        const start = tail.safe;
        stream.announce(start);
        if (request.backlog) await stream.sendAside(await request.backlog(), start);
      }
      stream.goLive();
    } catch (error) {
      stream.end('storage unavailable: reconnect with Last-Event-ID');
      throw error;
    }
    return stream;
  }

  /** Ends every stream and stops polling; used on shutdown so server close() does not wait. */
  async close(): Promise<void> {
    this.closed = true;
    this.pollDone(true);
    for (const stream of [...this.streams]) stream.end(SHUTTING_DOWN);
    this.stopTimers();
  }

  private currentTail(): Promise<EventTail> {
    if (!this.tail) {
      const tail = this.openTail();
      const started = tail.start().then(() => tail);
      this.tail = started;
      // A failed start is retried by the next stream.
      started.catch(() => {
        if (this.tail === started) this.tail = null;
      });
    }
    return this.tail;
  }

  /** Resolves once a poll that started after this call has completed (or failed). */
  private freshPoll(): Promise<void> {
    const after = this.polls + (this.polling ? 1 : 0);
    const done = new Promise<void>((resolve) => this.pollWaiters.push({ after, resolve }));
    this.schedule(0);
    return done;
  }

  private pollDone(all = false): void {
    this.polls++;
    const ready = this.pollWaiters.filter((w) => all || w.after < this.polls);
    this.pollWaiters = this.pollWaiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
  }

  private async settled(tail: EventTail): Promise<void> {
    const deadline = Date.now() + SETTLE_WAIT_MS;
    while (!tail.settled && Date.now() < deadline && !this.closed) {
      this.schedule(0);
      await new Promise((resolve) => setTimeout(resolve, Math.min(50, this.settings.pollMs)));
    }
  }

  private detach(stream: EventStream): void {
    this.streams.delete(stream);
    if (this.streams.size === 0) {
      // Nobody listens: stop reading. The next stream starts a fresh tail at "now"
      // instead of wading through everything written in between.
      this.stopTimers();
      this.tail = null;
    }
  }

  private startTimers(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => void this.beat(), this.settings.heartbeatMs);
    this.heartbeat.unref();
    this.schedule(this.settings.pollMs);
  }

  private stopTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.timer = null;
    this.heartbeat = null;
  }

  private async beat(): Promise<void> {
    const tail = this.tail ? await this.tail.catch(() => null) : null;
    const safe = tail?.settled ? tail.safe : null;
    for (const stream of [...this.streams]) stream.heartbeat(safe);
  }

  private schedule(delayMs: number): void {
    if (this.closed || this.streams.size === 0) return;
    if (this.polling) {
      if (delayMs === 0) this.again = true;
      return;
    }
    const at = Math.max(Date.now() + delayMs, this.lastPoll + MIN_POLL_GAP_MS);
    // A poll already due sooner stays.
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => void this.run(), Math.max(0, at - Date.now()));
    this.timer.unref();
  }

  private async run(): Promise<void> {
    this.timer = null;
    const current = this.tail;
    if (!current || this.polling) return;
    this.polling = true;
    let next = this.settings.pollMs;
    try {
      const tail = await current;
      do {
        this.again = false;
        this.lastPoll = Date.now();
        const batch = await tail.poll();
        // A tail replaced meanwhile (every stream left, a new one came) is not ours to dispatch.
        if (this.tail !== current) {
          this.pollDone(true);
          return;
        }
        for (const item of batch.items) for (const stream of this.streams) stream.deliver(item, tail.safe);
        this.pollDone();
        if (batch.more) this.again = true;
      } while (this.again && this.streams.size > 0 && !this.closed);
      this.failures = 0;
    } catch {
      // Whoever waits for a fresh poll goes on with the position there is.
      this.pollDone(true);
      this.failures++;
      next = Math.min(this.settings.pollMs * 2 ** Math.min(this.failures, 4), 5000);
    } finally {
      this.polling = false;
      if (this.tail === current) this.schedule(next);
      else if (this.tail) this.schedule(0);
    }
  }
}
