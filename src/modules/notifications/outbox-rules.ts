import type { SqlDialect } from '../../db/sql-dialect.ts';
import { numOrNull, type SqlRow } from '../../db/sql-runner.ts';
import type { StoredChannel } from '../channels/channel.ts';
import { notificationColumns } from './notification-queries.ts';
import type { Claimed, Settlement, StoredNotification } from './notification.ts';

/** A PermissionRequest and the Notification Claude Code sends for the same prompt arrive within this of each other. */
export const MERGE_WINDOW_MS = 30_000;

/**
 * Due notifications of channels that may send now, oldest due first: pending and failed
 * ones whose time has come, and sending ones whose claim ran out (their worker died).
 * The status list repeats the due index's predicate word for word, so SQLite uses it.
 * Parameters: now, now, now, how many.
 */
export function claimCandidates(d: SqlDialect): string {
  return d.placeholders(`SELECT ${notificationColumns(d, 'n.')}
    FROM notifications n JOIN channels c ON c.channel_id = n.channel_id
   WHERE n.status IN ('pending', 'failed', 'sending') AND n.next_attempt_at <= ${d.timeParam()}
     AND (n.status <> 'sending' OR n.claimed_until < ${d.timeParam()})
     AND NOT c.paused AND c.next_send_at <= ${d.timeParam()}
   ORDER BY n.next_attempt_at, n.notification_id
   LIMIT ?`);
}

/**
 * Which candidates this claim takes: all of an unpaced channel's, one of a paced channel's
 * (Slack about one message a second per webhook), up to `limit`.
 */
export function pickClaims(
  rows: readonly StoredNotification[],
  channels: ReadonlyMap<string, StoredChannel>,
  limit: number,
  pacingMs: (channel: StoredChannel) => number,
): Claimed[] {
  const claimed: Claimed[] = [];
  const pacedTaken = new Set<string>();
  for (const notification of rows) {
    if (claimed.length >= limit) break;
    const channel = channels.get(notification.channelId);
    if (!channel) continue;
    if (pacingMs(channel) > 0) {
      if (pacedTaken.has(channel.channelId)) continue;
      pacedTaken.add(channel.channelId);
    }
    claimed.push({ notification, channel });
  }
  return claimed;
}

/**
 * What the execution that fired records once all its notifications are settled (sent or
 * dead), as seed 000's notification_sent and notification_result: null while one is still
 * on its way.
 */
export function executionResult(rows: readonly SqlRow[]): { sent: boolean; result: Record<string, unknown> } | null {
  if (rows.some((r) => r.status !== 'sent' && r.status !== 'dead' && r.status !== 'stale')) return null;
  const channels = rows.map((r) => ({
    channel: r.channel_id as string,
    notification_id: r.notification_id as string,
    status: r.status as string,
    status_code: numOrNull(r.status_code),
    sent_at: r.sent_at === null || r.sent_at === undefined ? null : new Date(Number(r.sent_at)).toISOString(),
    ...(r.status !== 'sent' ? { error: (r.error as string | null) ?? null } : {}),
  }));
  return { sent: channels.some((c) => c.status === 'sent'), result: { channels } };
}

/** What a digest's members record when their digest ends: nothing when it was sent. */
export function memberError(s: Settlement): string | null {
  return s.status === 'sent' ? null : `its digest ${s.attempt.notificationId} was not delivered: ${s.error ?? 'unknown'}`;
}

/** What a round's attempts do to one channel, in the order they ended. */
export interface ChannelEffect {
  channelId: string;
  /** A success came: the run of failures starts again from `failures`. */
  reset: boolean;
  /** Failures after the last success (all of them without one). */
  failures: number;
  pause: string | null;
  nextSendAt: number | null;
}

export function channelEffects(settlements: readonly Settlement[]): ChannelEffect[] {
  const effects = new Map<string, ChannelEffect>();
  for (const { channel } of settlements) {
    if (!channel) continue;
    let e = effects.get(channel.channelId);
    if (!e) {
      e = { channelId: channel.channelId, reset: false, failures: 0, pause: null, nextSendAt: null };
      effects.set(channel.channelId, e);
    }
    if (channel.failed) e.failures++;
    else {
      e.reset = true;
      e.failures = 0;
    }
    e.pause = channel.pause ?? e.pause;
    if (channel.nextSendAt !== null) e.nextSendAt = Math.max(e.nextSendAt ?? 0, channel.nextSendAt);
  }
  return [...effects.values()];
}
