import type { NotificationKind, Priority } from '../channels/channel-message.ts';
import { quietUntil, type QuietHoursPolicy } from './quiet-hours.ts';

/**
 * How a team's notifications are batched (its notification_preferences): the first of a
 * (team, channel, kind) goes at once and opens a window of `windowMs`; the later ones in the
 * window are held and go as one digest once `threshold` of them wait or the window closes.
 * Quiet hours hold everything but critical notifications until they end.
 */
export interface BatchPolicy {
  threshold: number;
  /** 0: no digests, everything goes at once. */
  windowMs: number;
  quiet: QuietHoursPolicy | null;
}

/** Notifications of no team, or of a team without preferences: nothing is held. */
export const NO_BATCHING: BatchPolicy = Object.freeze({ threshold: 1, windowMs: 0, quiet: null });

export type PolicyOf = (teamId: string | null) => BatchPolicy;

/** A team's notification_preferences as saved (the teams module validates them). */
export interface PreferencesLike {
  batch_threshold: number;
  batch_timeout_minutes: number;
  quiet_hours: { enabled: boolean; start: string; end: string; time_zone: string };
}

export function policyFromPreferences(p: PreferencesLike): BatchPolicy {
  const q = p.quiet_hours;
  return {
    threshold: p.batch_threshold,
    windowMs: Math.round(p.batch_timeout_minutes * 60_000),
    quiet: q.enabled ? { start: q.start, end: q.end, timeZone: q.time_zone } : null,
  };
}

/** A notification batching has not looked at yet (status `new`). */
export interface FreshNotification {
  notificationId: string;
  teamId: string | null;
  channelId: string;
  kind: NotificationKind;
  priority: Priority;
  createdAt: number;
}

export type BatchDecision =
  | { notificationId: string; status: 'pending'; opensWindow: boolean }
  | { notificationId: string; status: 'held'; heldReason: 'digest' | 'quiet_hours'; releaseAt: number };

export const groupKey = (n: { teamId: string | null; channelId: string; kind: string }) => JSON.stringify([n.teamId, n.channelId, n.kind]);

/**
 * What becomes of fresh notifications, oldest first. `windows`: for each group, when the
 * notification that opened its current window was created (the store reads them); it is
 * updated as notifications here open windows.
 */
export function decideFresh(
  fresh: readonly FreshNotification[],
  windows: Map<string, number>,
  policyOf: PolicyOf,
  now: number,
): BatchDecision[] {
  return fresh.map((n) => {
    if (n.priority === 'critical') return { notificationId: n.notificationId, status: 'pending', opensWindow: false };
    const policy = policyOf(n.teamId);
    const quietEnd = quietUntil(policy.quiet, now);
    if (quietEnd !== null) return { notificationId: n.notificationId, status: 'held', heldReason: 'quiet_hours', releaseAt: quietEnd };
    if (policy.windowMs <= 0) return { notificationId: n.notificationId, status: 'pending', opensWindow: false };
    const key = groupKey(n);
    const opened = windows.get(key);
    if (opened !== undefined && opened + policy.windowMs > now) {
      return { notificationId: n.notificationId, status: 'held', heldReason: 'digest', releaseAt: opened + policy.windowMs };
    }
    windows.set(key, n.createdAt);
    return { notificationId: n.notificationId, status: 'pending', opensWindow: true };
  });
}

/** A (team, channel, kind) with held notifications, as the store counts them. */
export interface HeldGroup {
  teamId: string | null;
  channelId: string;
  kind: NotificationKind;
  /** Held for the digest window (not for quiet hours). */
  waitingForDigest: number;
  held: number;
  /** The earliest release time among them. */
  firstReleaseAt: number;
}

export type GroupAction =
  | { group: HeldGroup; action: 'release' }
  /** Quiet hours began while they waited: they go when the quiet hours end. */
  | { group: HeldGroup; action: 'defer'; until: number };

/**
 * Which held groups go now: those whose time came, and those with `threshold` waiting for
 * their digest; during the team's quiet hours none goes, and what would have is moved to
 * their end.
 */
export function decideHeld(groups: readonly HeldGroup[], policyOf: PolicyOf, now: number): GroupAction[] {
  const actions: GroupAction[] = [];
  for (const group of groups) {
    const policy = policyOf(group.teamId);
    // Held for quiet hours that are not on now: their team changed or dropped them.
    const quietGone = group.held > group.waitingForDigest;
    const due = group.firstReleaseAt <= now || group.waitingForDigest >= policy.threshold || quietGone;
    const quietEnd = quietUntil(policy.quiet, now);
    if (quietEnd !== null) {
      if (group.firstReleaseAt < quietEnd) actions.push({ group, action: 'defer', until: quietEnd });
    } else if (due) actions.push({ group, action: 'release' });
  }
  return actions;
}
