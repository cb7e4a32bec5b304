import type { CapturedEvent } from './captured-event.ts';

/**
 * What became of one event handed to a sink:
 * - sent: stored (or already stored: a duplicate counts as sent);
 * - refused: the event itself was turned down (bad payload) and never will succeed, so
 *   it is logged and dropped rather than retried forever;
 * - retry: the target could not take it now (down, slow, overloaded, token refused);
 *   the event stays in the spool. `auth` marks a refused or missing token.
 */
export type SendResult =
  | { status: 'sent' }
  | { status: 'refused'; reason: string }
  | { status: 'retry'; reason: string; auth?: boolean };

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
