import type { CapturedEvent } from './captured-event.ts';

/**
 * What became of one event handed to a sink:
 * - sent: stored (or already stored: a duplicate counts as sent);
 * - failed: an answer that will not change by waiting (a 500, a 4xx other than 401, 403,
 *   408 and 429, a payload the database refuses): it counts towards giving up on the
 *   event (spool.ts), and the events behind it go on;
 * - retry: the target could not take it now (down, slow, overloaded, token refused);
 *   the event stays in the spool, and so does everything behind it. `auth` marks a refused
 *   or missing token.
 */
export type SendResult = { status: 'sent' } | { status: 'failed'; reason: string } | { status: 'retry'; reason: string; auth?: boolean };

/** Where emit delivers events: a hookd server over HTTP, or the local SQLite file. */
export interface EventSink {
  /** For messages: the URL or the database file. */
  readonly target: string;
  /**
   * Delivers events in order and stops at the first `retry`, which is then the last result:
   * events past the returned results were not attempted.
   */
  send(events: readonly CapturedEvent[]): Promise<SendResult[]>;
  close(): Promise<void>;
}
