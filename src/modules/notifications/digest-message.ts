import { createHash } from 'node:crypto';
import type { ChannelMessage, NotificationKind } from '../channels/channel-message.ts';

/** Lines of a digest's text, one per member; the rest are counted. */
export const DIGEST_LINES = 15;

const WHAT: Record<NotificationKind, [string, string]> = {
  permission: ['permission request', 'permission requests'],
  input: ['request for input', 'requests for input'],
  stop: ['agent stopped', 'agents stopped'],
  session_end: ['session ended', 'sessions ended'],
  failure: ['tool failure', 'tool failures'],
  rule: ['rule alert', 'rule alerts'],
};

export interface DigestMember {
  notificationId: string;
  message: ChannelMessage;
  eventAt: number;
}

/** A digest's own id (and webhook-id): from its members, so assembling the same members twice makes one digest. */
export function digestIdOf(memberIds: readonly string[]): string {
  return `ntf_${createHash('sha256')
    .update(JSON.stringify(['digest', [...memberIds].sort()]))
    .digest('hex')
    .slice(0, 32)}`;
}

/**
 * One message for held notifications of one kind and channel: how many, one line each
 * (title, project, time), and what they have in common. A webhook receives the members'
 * ids in `digest`.
 */
export function digestMessage(kind: NotificationKind, members: readonly DigestMember[]): ChannelMessage {
  const sorted = [...members].sort((a, b) => a.eventAt - b.eventAt || (a.notificationId < b.notificationId ? -1 : 1));
  const n = sorted.length;
  const messages = sorted.map((m) => m.message);
  const one = <T>(values: T[]): T | null => (values.length > 0 && values.every((v) => v === values[0]) ? values[0]! : null);
  const sessions = new Set(messages.map((m) => m.context.session_id).filter((s) => s !== null));
  const projects = [...new Set(messages.map((m) => m.context.project).filter((p): p is string => p !== null))];
  const lines = messages.slice(0, DIGEST_LINES).map((m) => {
    const where = m.context.project ? ` (${m.context.project})` : '';
    return `• ${time(m.context.timestamp)} ${m.title}${where}`;
  });
  if (n > DIGEST_LINES) lines.push(`…and ${n - DIGEST_LINES} more`);
  const last = messages[n - 1]!;
  const ruleName = one(messages.map((m) => (kind === 'rule' ? m.title : null)));
  return {
    kind,
    priority: 'normal',
    title: `${n} ${WHAT[kind][n === 1 ? 0 : 1]}${ruleName ? `: ${ruleName}` : ''}`,
    text: lines.join('\n'),
    fields: [
      { name: 'Sessions', value: String(sessions.size) },
      ...(projects.length > 0 ? [{ name: projects.length === 1 ? 'Project' : 'Projects', value: cut(projects.join(', ')) }] : []),
      { name: 'From', value: messages[0]!.context.timestamp },
      { name: 'To', value: last.context.timestamp },
    ],
    ...(one(messages.map((m) => m.url ?? null)) ? { url: messages[0]!.url! } : {}),
    context: {
      session_id: one(messages.map((m) => m.context.session_id)),
      event_id: null,
      event_type: one(messages.map((m) => m.context.event_type)),
      team_id: one(messages.map((m) => m.context.team_id)),
      rule_id: one(messages.map((m) => m.context.rule_id)),
      project: projects.length === 1 ? projects[0]! : null,
      timestamp: last.context.timestamp,
    },
    digest: { count: n, notification_ids: sorted.map((m) => m.notificationId) },
  };
}

/** "14:05 UTC": the members' times, in the one zone every reader shares. */
function time(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '' : `${new Date(t).toISOString().slice(11, 16)} UTC`;
}

const cut = (s: string) => (s.length > 300 ? `${s.slice(0, 299)}…` : s);
