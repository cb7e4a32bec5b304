import type { CanonicalEvent } from '../events/event.ts';
import { matchesStream, type EventTail, type StreamFilter, type TailItem } from './event-tail.ts';

/** Where a stream's messages go: the SSE connection (sse-connection.ts) or a test. */
export interface StreamSink {
  /** One event with its resume cursor; false once the client is too far behind. */
  event(cursor: number, event: CanonicalEvent): boolean;
  /** A heartbeat, carrying a newer resume cursor when there is one; false when too far behind. */
  ping(cursor: number | null): boolean;
  /** Resolves when the client can take more: at once unless it is behind (paces catch-up). */
  ready(): Promise<void>;
  /** Ends the stream with a last comment saying why. */
  end(reason: string): void;
  /** Calls `listener` once when the client goes away. */
  onGone(listener: () => void): void;
}

// Events can be large (2 MB at most): a page is held in memory while it is sent.
export const REPLAY_PAGE = 200;
/** Live events held while a stream finishes its catch-up; past it the client must reconnect. */
export const MAX_PENDING = 10_000;
/** Ids sent above the cursor remembered to skip duplicates; beyond, duplicates are allowed. */
const MAX_REMEMBERED = 100_000;
export const NO_UPPER_BOUND = Number.MAX_SAFE_INTEGER;

type State = 'replay' | 'buffer' | 'live' | 'closed';

/**
 * One client's stream. Resume cursors mean "every matching event with id <= cursor has
 * been delivered": an event's cursor is min(its id, the tail's safe position when it was
 * dispatched), so it is never past an event that may still arrive, and a reconnect
 * replays from it (a few duplicates, each with its event_id, never a gap).
 *
 * States: `replay` (catching up from a resume cursor; live events ignored, the replay
 * will cover them), `buffer` (subscribed; live events held while the last short replay
 * or the backlog is sent), `live`, `closed`.
 */
export class EventStream {
  readonly filter: StreamFilter;
  /** The resume cursor the client came with: anything at or below it it has already. */
  readonly after: number;
  /** The newest cursor sent. */
  cursor: number;
  private state: State;
  private pending: { item: TailItem; cursor: number }[] = [];
  private readonly sent = new Set<number>();
  /** A stream starting now: ids at or below this were history when it opened (dropThrough). */
  private floor = 0;
  /**
   * The backlog's events by session and event id: the backlog is read from the store, and
   * the shared tail, when it lags behind the store, may dispatch the same events live.
   */
  private readonly aside = new Set<string>();
  private readonly sink: StreamSink;
  private readonly onClose: (stream: EventStream) => void;

  constructor(filter: StreamFilter, after: number | null, sink: StreamSink, onClose: (stream: EventStream) => void) {
    this.filter = filter;
    this.after = after ?? 0;
    this.cursor = after ?? 0;
    this.state = after === null ? 'buffer' : 'replay';
    this.sink = sink;
    this.onClose = onClose;
  }

  get closed(): boolean {
    return this.state === 'closed';
  }

  /** A newly visible event from the hub, `safe` being the tail's position after the poll. */
  deliver(item: TailItem, safe: number): void {
    if (this.state === 'replay' || this.state === 'closed') return;
    if (item.id <= this.after || item.id <= this.floor || !matchesStream(this.filter, item.event)) return;
    if (this.aside.size > 0 && this.aside.has(asideKey(item.event))) return;
    const cursor = Math.min(item.id, safe);
    if (this.state === 'live') {
      // A hole filling just after the last replay can come both ways: skip the repeat.
      if (!this.sent.has(item.id)) this.send(item, cursor);
      return;
    }
    this.pending.push({ item, cursor });
    if (this.pending.length > MAX_PENDING) this.end('client too slow: reconnect with Last-Event-ID');
  }

  /**
   * Sends stored events after the cursor up to `upTo`, page by page, paced by the client.
   * From the cursor (not the last id sent): events below an id already sent may have
   * committed since; the ones sent already are skipped.
   */
  async replay(tail: EventTail, upTo: number): Promise<void> {
    let from = this.cursor;
    while (!this.closed) {
      // The position must be read before the query: everything at or below it committed
      // before the query's snapshot, so the page holds it.
      const safe = tail.settled ? tail.safe : this.cursor;
      const page = await tail.replay(this.filter, from, upTo, REPLAY_PAGE);
      for (const item of page) {
        if (this.sent.has(item.id)) continue;
        // Stored events wait for a slow client; only live ones, which do not wait, drop it.
        await this.sink.ready();
        if (this.closed) return;
        this.send(item, Math.min(item.id, safe));
      }
      if (page.length < REPLAY_PAGE) return;
      from = page[page.length - 1]!.id;
      this.forgetBelowCursor();
    }
  }

  /** Subscribed: live events are held from now on, until goLive(). */
  subscribe(): void {
    if (this.state === 'replay') this.state = 'buffer';
  }

  /** Sends events that are not in the store's order (the backlog) with a fixed cursor. */
  async sendAside(events: readonly CanonicalEvent[], cursor: number): Promise<void> {
    for (const event of events) this.aside.add(asideKey(event));
    for (const event of events) {
      await this.sink.ready();
      if (this.closed) return;
      this.cursor = Math.max(this.cursor, cursor);
      if (!this.sink.event(this.cursor, event)) this.end('client too slow: reconnect with Last-Event-ID');
    }
  }

  /**
   * A stream starting now, once the tail has caught up with the store: what the tail
   * dispatched up to its safe position committed before the stream opened; it is not live.
   */
  dropThrough(safe: number): void {
    this.floor = Math.max(this.floor, safe);
    this.pending = this.pending.filter((p) => p.item.id > safe);
  }

  /** Announces the resume cursor without an event (a stream starting "now"). */
  announce(cursor: number): void {
    this.cursor = Math.max(this.cursor, cursor);
    if (!this.closed) this.sink.ping(this.cursor);
  }

  goLive(): void {
    if (this.closed) return;
    const held = this.pending;
    this.pending = [];
    this.state = 'live';
    for (const { item, cursor } of held) {
      if (this.closed) return;
      if (!this.sent.has(item.id)) this.send(item, cursor);
    }
    this.forgetBelowCursor();
  }

  /** A heartbeat; `safe` moves the cursor on when the stream is live and the tail settled. */
  heartbeat(safe: number | null): void {
    if (this.closed) return;
    const cursor = this.state === 'live' && safe !== null && safe > this.cursor ? safe : null;
    if (cursor !== null) this.cursor = cursor;
    this.forgetBelowCursor();
    // A catch-up waits for a slow client by itself; only a live stream is dropped.
    if (!this.sink.ping(cursor) && this.state === 'live') this.end('client too slow: reconnect with Last-Event-ID');
  }

  /** Ends the stream from the server side. */
  end(reason: string): void {
    if (this.closed) return;
    this.close();
    this.sink.end(reason);
  }

  /** Forgets the stream (the client went away, or end()). */
  close(): void {
    if (this.closed) return;
    this.state = 'closed';
    this.pending = [];
    this.onClose(this);
  }

  /** Ids at or below the cursor can never come again: only the ones above need remembering. */
  private forgetBelowCursor(): void {
    for (const id of this.sent) if (id <= this.cursor) this.sent.delete(id);
  }

  private send(item: TailItem, cursor: number): void {
    this.cursor = Math.max(this.cursor, cursor);
    if (this.state !== 'live' && item.id > this.cursor && this.sent.size < MAX_REMEMBERED) this.sent.add(item.id);
    if (!this.sink.event(this.cursor, item.event)) this.end('client too slow: reconnect with Last-Event-ID');
  }
}

const asideKey = (event: CanonicalEvent) => `${event.session_id}\u0000${event.event_id}`;
