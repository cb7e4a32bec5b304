import { createHash } from 'node:crypto';
import type { CanonicalEvent } from '../events/event.ts';
import type { Session } from '../sessions/session.ts';
import type { NotificationKind } from '../channels/channel-message.ts';
import type { Rule } from '../rules/rule.ts';
import { notificationKindOf } from './notification-kind.ts';
import { buildMessage } from './notification-message.ts';
import type { NewNotification } from './notification.ts';
import { MERGE_WINDOW_MS } from './outbox-rules.ts';
import type { BatchPolicy } from './batching.ts';

/**
 * Where a kind goes when the rule names no channel: the team's default_channels entry for
 * the kind, else for the seed's kind it falls under (blocker, status_change), else
 * `default` or the seed's `general`.
 */
const DEFAULT_KEYS: Record<NotificationKind, string[]> = {
  permission: ['permission', 'blocker'],
  input: ['input', 'blocker'],
  stop: ['stop', 'status_change'],
  session_end: ['session_end', 'status_change'],
  failure: ['failure', 'blocker'],
  rule: ['rule'],
};

export function defaultChannelOf(defaults: Readonly<Record<string, string>>, kind: NotificationKind): string | null {
  for (const key of [...DEFAULT_KEYS[kind], 'default', 'general']) if (Object.hasOwn(defaults, key)) return defaults[key]!;
  return null;
}

export interface PlanSettings {
  /** How long a notification is tried before it is dead. */
  windowMs: number;
  /** hookd's address as people reach it, for links to a session's page; null: no links. */
  publicUrl: string | null;
  /**
   * A permission or input prompt whose event is older than this when its rule fires is
   * recorded as stale and not sent: a server started late must not page anyone about
   * prompts long answered.
   */
  staleMs: number;
}

/** The kinds that ask a person to act now: only these go stale. */
const PROMPTS: ReadonlySet<NotificationKind> = new Set(['permission', 'input']);

export interface Fired {
  rule: Rule;
  executionId: string;
  teamId: string;
  defaultChannels: Readonly<Record<string, string>>;
  event: CanonicalEvent;
  session: Session | null;
  /** The firing team's digests and quiet hours. */
  batchPolicy: BatchPolicy;
}

/**
 * The notifications a rules pass creates for what fired, one per channel: the rule's
 * channels, else the team's default for the event's kind. A permission prompt reported
 * twice in the batch (PermissionRequest and its Notification) makes one notification; the
 * outbox insert merges one reported across passes.
 */
export function planNotifications(fired: readonly Fired[], settings: PlanSettings, now: number): NewNotification[] {
  const out: NewNotification[] = [];
  const permissions: NewNotification[] = [];
  for (const f of fired) {
    const kind = notificationKindOf(f.event);
    const channels = f.rule.channels ?? [defaultChannelOf(f.defaultChannels, kind)].filter((c): c is string => c !== null);
    if (channels.length === 0) continue;
    const priority = f.rule.priority ?? 'normal';
    const url = settings.publicUrl
      ? `${settings.publicUrl.replace(/\/$/, '')}/ui/sessions/${encodeURIComponent(f.event.session_id)}`
      : undefined;
    const message = buildMessage({
      kind,
      priority,
      event: f.event,
      session: f.session,
      rule: { rule_id: f.rule.rule_id, name: f.rule.name, ...(f.rule.template ? { template: f.rule.template } : {}) },
      ...(url ? { url } : {}),
    });
    const eventAt = Date.parse(f.event.received_at);
    const age = now - eventAt;
    const stale = PROMPTS.has(kind) && age > settings.staleMs;
    // What batching would let go at once anyway skips it: one transaction less per round.
    const batched = priority !== 'critical' && (f.batchPolicy.windowMs > 0 || f.batchPolicy.quiet !== null);
    for (const channelId of channels) {
      const n: NewNotification = {
        notificationId: notificationIdOf(f.executionId, channelId),
        executionId: f.executionId,
        teamId: f.teamId,
        sessionId: f.event.session_id,
        eventId: f.event.event_id,
        eventType: f.event.event_type,
        channelId,
        kind,
        priority,
        message,
        eventAt,
        createdAt: now,
        expiresAt: now + settings.windowMs,
        status: stale ? 'stale' : batched ? 'new' : 'pending',
        error: stale
          ? `stale: its event was ${ageText(age)} old when its rule fired (the limit is ${ageText(settings.staleMs)}), so it was not sent`
          : null,
      };
      if (kind === 'permission') {
        const twin = permissions.find(
          (p) =>
            p.sessionId === n.sessionId &&
            p.channelId === n.channelId &&
            p.eventType !== n.eventType &&
            Math.abs(p.eventAt - eventAt) <= MERGE_WINDOW_MS,
        );
        if (twin) continue;
        permissions.push(n);
      }
      out.push(n);
    }
  }
  return out;
}

/** "65 s", "11 min", "3 h 5 min". */
function ageText(ms: number): string {
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  const minutes = Math.floor(ms / 60_000);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** From the execution and the channel: a replayed pass makes the same id, which the insert skips. */
export function notificationIdOf(executionId: string, channelId: string): string {
  return `ntf_${createHash('sha256')
    .update(JSON.stringify([executionId, channelId]))
    .digest('hex')
    .slice(0, 32)}`;
}
