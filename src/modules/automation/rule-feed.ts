import type { CanonicalEvent } from '../events/event.ts';
import type { Execution } from '../executions/execution.ts';
import type { NewNotification } from '../notifications/notification.ts';

/** What a batch fired: the executions, and the notifications they send (the outbox rows). */
export interface FiredBatch {
  executions: Execution[];
  notifications: NewNotification[];
}

/** Decides what a batch of events fires; null when no team has a rule (nothing to read). */
export type BatchEvaluator = ((events: CanonicalEvent[]) => Promise<FiredBatch>) | null;

/**
 * Where the rules read stored events from: the ones the derivation has finished with (so
 * their sessions are up to date) and no rules pass has evaluated yet. Each dialect keeps
 * that durably (rule-feed-sqlite.ts, rule-feed-postgres.ts) and moves it in the same
 * transaction as the executions the rules fired: an event is evaluated exactly once,
 * whichever process takes it, across crashes and restarts.
 */
export interface RuleFeed {
  /** True while derived events wait for a rules pass. */
  pending(): Promise<boolean>;
  /**
   * Takes the next batch (events in store order), evaluates it, stores the executions and
   * marks the batch evaluated, atomically, with the notifications (the outbox). Returns how many events it covered: 0 when
   * nothing waited, or another process took the batch first (then nothing is stored).
   */
  take(limit: number, evaluate: BatchEvaluator): Promise<number>;
}
