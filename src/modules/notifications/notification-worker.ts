import { hostname } from 'node:os';
import { SILENT_LOG, type ServiceLog } from '../../core/audit-log.ts';
import type { ChannelKind } from '../channels/channel-kind.ts';
import type { StoredChannel } from '../channels/channel.ts';
import { deliver, type Delivery, type OpenChannel } from '../channels/channel-delivery.ts';
import type { Claimed, NotificationStore, Settlement } from './notification.ts';
import { retryDelayMs } from './retry-schedule.ts';
import { NO_BATCHING, type PolicyOf } from './batching.ts';

/** What a delivery tells /metrics (the metrics module implements it). */
export interface DeliveryObserver {
  attempted(kind: ChannelKind, outcome: 'sent' | 'retry' | 'permanent'): void;
  /** A notification reached its receiver: ms from the event being stored to the receiver's answer. */
  delivered(kind: ChannelKind, sinceEventMs: number): void;
}

export interface WorkerOptions {
  timeoutMs: number;
  allowPrivate: boolean;
  /** How often to look for notifications another process created. */
  pollMs: number;
  /** Notifications claimed and sent at once. */
  batch?: number;
  /** How long a notification is tried before it is dead: a digest's window. */
  windowMs: number;
  /** Each team's digest and quiet-hours policy, read before each round (none: nothing is held). */
  policies?: () => Promise<PolicyOf>;
  observer?: DeliveryObserver;
  log?: ServiceLog;
  now?: () => number;
  random?: () => number;
}

/** One delivery, ended: what to record, and what /metrics learns of it. */
interface Ended {
  settlement: Settlement;
  kind: ChannelKind;
  sentToChannel: boolean;
  eventAt: number;
}

/** Failed attempts in a row after which a channel is paused with the last reason. */
export const PAUSE_AFTER_FAILURES = 10;
/**
 * Slack takes about one message per second per incoming webhook; Discord 5 requests per 2 s
 * per webhook but 30 messages a minute per channel, so one every 2 s, its headers pacing it
 * further when they ask. ntfy.sh allows a burst of 60 requests, then one per 5 s, per
 * visitor (the sending IP, over all its topics): pacing one channel cannot keep to a limit
 * shared by all of them, and the burst covers an agent's busiest minute, so ntfy is not
 * paced and its 429 holds the channel. SMTP servers throttle with 4xx replies, retried.
 */
const PACING_MS: Record<ChannelKind, number> = { slack: 1000, discord: 2000, webhook: 0, email: 0, ntfy: 0 };
export const pacingOf = (channel: Pick<StoredChannel, 'kind'>) => PACING_MS[channel.kind];
/** Answers that say the webhook itself is gone or refused (SMTP: the login refused): its channel is paused at once. */
const GONE = new Set([401, 403, 404, 410, 530, 534, 535]);
/** Beyond an attempt's timeout: a claim this old belongs to a worker that died. */
const LEASE_MARGIN_MS = 5_000;
const EXPIRE_EVERY_MS = 30_000;
/** Tries to record one delivery, over about 20 s. */
const RECORD_ATTEMPTS = 8;

/**
 * Delivers the outbox: claims due notifications, sends each once, records the attempt and
 * what follows (sent; tried again on the retry schedule; dead when permanent or out of
 * time), and paces and pauses channels. Delivery is at least once: a notification is sent
 * again only when the process that was sending it died before recording the answer (its
 * claim runs out), with the same webhook-id.
 */
export class NotificationWorker {
  readonly workerId = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  private readonly store: NotificationStore;
  private readonly open: (channel: StoredChannel) => OpenChannel;
  private readonly options: Required<Omit<WorkerOptions, 'observer'>> & { observer?: DeliveryObserver };
  private wakeUp: () => void = () => {};
  private woken = false;

  constructor(store: NotificationStore, open: (channel: StoredChannel) => OpenChannel, options: WorkerOptions) {
    this.store = store;
    this.open = open;
    this.options = {
      batch: 50,
      log: SILENT_LOG,
      now: Date.now,
      random: Math.random,
      policies: async () => () => NO_BATCHING,
      ...options,
    };
  }

  /** New notifications in this process: deliver now instead of at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp();
  }

  /** Batching, then one claim and its deliveries; how many were claimed. */
  async round(): Promise<number> {
    const { now, batch, timeoutMs } = this.options;
    await this.store.batch({ now: now(), policies: this.options.policies, retryWindowMs: this.options.windowMs });
    const claimed = await this.store.claim({
      workerId: this.workerId,
      now: now(),
      limit: batch,
      leaseMs: timeoutMs + LEASE_MARGIN_MS,
      pacingMs: pacingOf,
    });
    if (claimed.length === 0) return 0;
    // Every delivery of the round ends before it is recorded, and the round is recorded in
    // one transaction (one commit, not one per delivery) before the next claim: at most a
    // batch is ever in flight when the process dies.
    // A channel's URL and secret are opened once a round, not once per notification.
    const opened = new Map<string, OpenChannel>();
    const open = (channel: StoredChannel) => {
      let o = opened.get(channel.channelId);
      if (!o) {
        o = this.open(channel);
        opened.set(channel.channelId, o);
      }
      return o;
    };
    const ended = await Promise.all(claimed.map((c) => this.deliverOne(c, open)));
    const recorded = await this.record(ended.map((e) => e.settlement));
    const observer = this.options.observer;
    ended.forEach(({ settlement, kind, sentToChannel, eventAt }, i) => {
      if (sentToChannel) observer?.attempted(kind, settlement.attempt.outcome);
      if (settlement.status === 'sent') observer?.delivered(kind, settlement.now - eventAt);
      if (!recorded[i]) {
        this.options.log.warn(
          { notification_id: settlement.attempt.notificationId },
          'a notification was delivered after its claim ran out; another worker may send it again',
        );
      }
    });
    return claimed.length;
  }

  /** Rounds until none claims anything: for tests and `hookd notifications flush`. */
  async drain(): Promise<number> {
    let total = 0;
    for (let n = await this.round(); n > 0; n = await this.round()) total += n;
    return total;
  }

  start(onError: (error: unknown) => void): { stop(): Promise<void> } {
    let stopped = false;
    let lastExpire = 0;
    const loop = (async () => {
      while (!stopped) {
        let claimed = 0;
        try {
          if (this.options.now() - lastExpire >= EXPIRE_EVERY_MS) {
            lastExpire = this.options.now();
            await this.store.expire(lastExpire);
          }
          this.woken = false;
          claimed = await this.round();
        } catch (error) {
          onError(error);
        }
        if (claimed === 0 && !stopped && !this.woken) await this.sleep(this.options.pollMs);
      }
    })();
    return {
      stop: async () => {
        stopped = true;
        this.wakeUp();
        await loop;
      },
    };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Sends one notification; never throws: what went wrong is in the settlement. */
  private async deliverOne({ notification: n, channel }: Claimed, open: (channel: StoredChannel) => OpenChannel): Promise<Ended> {
    const { now } = this.options;
    const startedAt = now();
    const attempt = n.retryCount + 1;
    let delivery: Delivery;
    if (channel.teamId !== null && channel.teamId !== n.teamId) {
      // A team's rule may name its own channels and the installation's, never another team's.
      const reason = `channel "${channel.channelId}" belongs to team "${channel.teamId}", not to this notification's team`;
      delivery = {
        result: { statusCode: null, headers: {}, bodyExcerpt: '', latencyMs: 0, error: reason },
        outcome: { status: 'permanent', reason, retryAfterMs: null, pacingMs: null },
      };
      return this.settlementOf(n, channel, attempt, startedAt, delivery, null, false);
    }
    try {
      delivery = await deliver(open(channel), n.message, n.notificationId, {
        timeoutMs: this.options.timeoutMs,
        allowPrivate: this.options.allowPrivate,
        now,
      });
    } catch (error) {
      // The channel's URL or secret cannot be opened (another secret key): no attempt can
      // succeed until someone fixes it, so the channel is paused, naming why.
      const reason = (error as Error).message;
      delivery = {
        result: { statusCode: null, headers: {}, bodyExcerpt: '', latencyMs: 0, error: reason },
        outcome: { status: 'retry', reason, retryAfterMs: null, pacingMs: null },
      };
      return this.settlementOf(n, channel, attempt, startedAt, delivery, reason);
    }
    return this.settlementOf(n, channel, attempt, startedAt, delivery, null);
  }

  /**
   * Records a round's attempts, trying again while the database refuses for a moment (SQLite
   * busy, a PostgreSQL failover): a lost record would send the notifications a second time.
   */
  private async record(settlements: Settlement[]): Promise<boolean[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.store.settle(settlements);
      } catch (error) {
        if (attempt >= RECORD_ATTEMPTS) throw error;
        this.options.log.warn({ notifications: settlements.length, error: String(error) }, 'recording deliveries failed; trying again');
        await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 100 * 2 ** attempt)));
      }
    }
  }

  private settlementOf(
    n: Claimed['notification'],
    channel: StoredChannel,
    attempt: number,
    startedAt: number,
    { result, outcome }: Delivery,
    unreadable: string | null,
    /** False when nothing was sent: the channel's run of failures stays as it is. */
    sentToChannel = true,
  ): Ended {
    const now = this.options.now();
    let status: Settlement['status'];
    let nextAttemptAt = n.nextAttemptAt;
    if (outcome.status === 'sent') status = 'sent';
    else if (outcome.status === 'permanent') status = 'dead';
    else {
      nextAttemptAt = now + retryDelayMs(attempt, outcome.retryAfterMs, this.options.random);
      status = nextAttemptAt >= n.expiresAt ? 'dead' : 'failed';
    }
    const limited = result.statusCode === 429;
    let pause: string | null = null;
    if (unreadable) pause = unreadable;
    else if (outcome.status === 'permanent' && result.statusCode !== null && GONE.has(result.statusCode))
      pause =
        channel.kind === 'email'
          ? `the mail server answered ${outcome.reason}: it refuses the login; fix the password (hookd channels add again, or PATCH its secret) and resume it`
          : `${channel.kind} answered ${outcome.reason}: the ${channel.kind === 'ntfy' ? 'topic refuses the token' : 'webhook looks removed or revoked'}; fix its URL or secret and resume it`;
    else if (outcome.status !== 'sent' && !limited && channel.failureStreak + 1 >= PAUSE_AFTER_FAILURES)
      pause = `paused after ${PAUSE_AFTER_FAILURES} failed attempts in a row; the last: ${outcome.reason}`;
    // A rate limit holds the whole channel, not only this notification.
    const hold = outcome.pacingMs ?? (limited ? outcome.retryAfterMs : null);
    const settlement: Settlement = {
      workerId: this.workerId,
      attempt: {
        notificationId: n.notificationId,
        attempt,
        startedAt,
        latencyMs: result.latencyMs,
        statusCode: result.statusCode,
        outcome: outcome.status,
        error: outcome.status === 'sent' ? null : outcome.reason,
        responseExcerpt: result.bodyExcerpt || null,
      },
      status,
      nextAttemptAt,
      error: outcome.status === 'sent' ? null : outcome.reason,
      now,
      channel: sentToChannel
        ? { channelId: channel.channelId, failed: outcome.status !== 'sent', pause, nextSendAt: hold === null ? null : now + hold }
        : null,
    };
    return { settlement, kind: channel.kind, sentToChannel, eventAt: n.eventAt };
  }
}
