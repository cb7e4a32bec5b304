import type { ChannelKind } from '../channels/channel-kind.ts';
import type { ChannelMessage, NotificationKind, Priority } from '../channels/channel-message.ts';
import type { StoredChannel } from '../channels/channel.ts';
import type { PolicyOf } from './batching.ts';

/**
 * new: batching has not looked at it yet; pending: due to go; held: waiting for its digest
 * window or for quiet hours to end (next_attempt_at); digested: merged into a digest
 * (digest_id), which is on its way; sending, failed (due again at next_attempt_at), sent,
 * dead; stale: a prompt already too old when its rule fired, never sent.
 */
export const NOTIFICATION_STATUSES = ['new', 'pending', 'held', 'digested', 'sending', 'failed', 'sent', 'dead', 'stale'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];
export type HeldReason = 'digest' | 'quiet_hours';

/** What a firing rule puts into the outbox, in the transaction of its execution. Times epoch ms. */
export interface NewNotification {
  /** Derived from the execution and the channel, so a replayed rules pass inserts nothing twice; also the webhook-id. */
  notificationId: string;
  executionId: string | null;
  teamId: string | null;
  sessionId: string | null;
  eventId: string | null;
  eventType: string | null;
  channelId: string;
  kind: NotificationKind;
  priority: Priority;
  message: ChannelMessage;
  /** When the event was stored: delivery latency is measured from here. */
  eventAt: number;
  createdAt: number;
  /** Past this, a notification not yet delivered is dead (HOOKD_NOTIFY_RETRY_WINDOW_HOURS). */
  expiresAt: number;
  /**
   * new: batching decides; pending: goes now (critical, or its team holds nothing back:
   * batching never looks at it); stale: recorded, never sent (`error` says why).
   */
  status: 'new' | 'pending' | 'stale';
  error: string | null;
}

export interface StoredNotification extends Omit<NewNotification, 'status'> {
  status: NotificationStatus;
  /** Why it is (or was) held: its digest window, or quiet hours. */
  heldReason: HeldReason | null;
  /** It went at once and opened its (team, channel, kind)'s digest window. */
  opensWindow: boolean;
  /** The digest it went in. */
  digestId: string | null;
  /** A digest: how many notifications it carries (0: not a digest). */
  digestSize: number;
  /** Failed attempts so far. */
  retryCount: number;
  nextAttemptAt: number;
  claimedUntil: number | null;
  claimedBy: string | null;
  statusCode: number | null;
  sentAt: number | null;
  updatedAt: number;
}

export interface NotificationAttempt {
  notificationId: string;
  attempt: number;
  startedAt: number;
  latencyMs: number;
  statusCode: number | null;
  outcome: 'sent' | 'retry' | 'permanent';
  error: string | null;
  responseExcerpt: string | null;
}

/** A claimed notification and its channel, as the worker delivers it. */
export interface Claimed {
  notification: StoredNotification;
  channel: StoredChannel;
}

/** How an attempt ends for the notification and its channel, written in one transaction. */
export interface Settlement {
  workerId: string;
  attempt: NotificationAttempt;
  status: 'sent' | 'failed' | 'dead';
  nextAttemptAt: number;
  error: string | null;
  now: number;
  /** null: nothing reached the channel (it was refused before sending), so it stays as it is. */
  channel: {
    channelId: string;
    /** A success ends the channel's run of failures; a failure extends it. */
    failed: boolean;
    /** Pause it, with this reason shown to its owners. */
    pause: string | null;
    /** Earliest next send, for pacing (epoch ms); null leaves it. */
    nextSendAt: number | null;
  } | null;
}

/** Which notifications a read sees: a bound token its team's or its session's, in the store query. */
export interface NotificationScope {
  teamId: string | null;
  sessionId: string | null;
}

export interface NotificationFilter {
  status?: NotificationStatus;
  sessionId?: string;
  teamId?: string;
  channelId?: string;
  /** A digest's members. */
  digestId?: string;
}

export interface NotificationPage {
  limit: number;
  /** Items created before this (created_at, notification_id) pair. */
  before?: { createdAt: number; notificationId: string };
}

export interface OutboxFigures {
  pending: number;
  /** Waiting for a digest window or the end of quiet hours. */
  held: number;
  failed: number;
  dead: number;
  /** Age of the oldest notification waiting to be sent, ms; 0 when none waits. */
  oldestPendingMs: number;
}

export interface NotificationStore {
  /**
   * Claims due notifications for this worker until `leaseMs` from now: pending or failed
   * ones whose time has come, and sending ones whose lease ran out (their worker died).
   * Paused channels are skipped; a paced channel gives one notification per claim and its
   * next send time moves on, in the same transaction.
   */
  claim(options: {
    workerId: string;
    now: number;
    limit: number;
    leaseMs: number;
    pacingMs: (channel: StoredChannel) => number;
  }): Promise<Claimed[]>;
  /**
   * Records a round's attempts and their outcomes in one transaction, each only while its
   * claim is still this worker's (per settlement: false when the claim was lost); once every
   * notification of an execution is settled, the execution's notification_sent and
   * notification_result.
   */
  settle(settlements: readonly Settlement[]): Promise<boolean[]>;
  list(filter: NotificationFilter, page: NotificationPage, scope: NotificationScope): Promise<StoredNotification[]>;
  get(notificationId: string, scope: NotificationScope): Promise<StoredNotification | null>;
  attempts(notificationId: string): Promise<NotificationAttempt[]>;
  /** Makes failed or dead notifications due now, their window renewed; how many. */
  requeue(
    filter: NotificationFilter & { notificationId?: string; statuses: NotificationStatus[] },
    scope: NotificationScope,
    now: number,
    expiresAt: number,
  ): Promise<number>;
  /**
   * Batching, in one transaction: decides what fresh notifications do (go now, or be held
   * for their digest window or quiet hours), and releases held groups whose time came or
   * whose digest is full, as one digest notification each (a lone one goes as itself).
   */
  batch(input: BatchInput): Promise<BatchOutcome>;
  /** Dead: what outlived its window, and what waits for a channel that was removed; how many. */
  expire(now: number): Promise<number>;
  figures(now: number): Promise<OutboxFigures>;
  /** Deletes notifications (and their attempts) created before `before`; how many. */
  prune(before: number): Promise<number>;
}

export interface BatchInput {
  now: number;
  /** Each team's policy, read only when there is something to batch. */
  policies: () => Promise<PolicyOf>;
  /** How long a digest is tried before it is dead (the retry window). */
  retryWindowMs: number;
}

export interface BatchOutcome {
  /** Fresh notifications decided. */
  decided: number;
  /** Of them, held. */
  held: number;
  /** Digests made, and lone held notifications let go as themselves. */
  digests: number;
  released: number;
}

export type { ChannelKind };
