import type { Query, SqlDialect } from '../../db/sql-dialect.ts';
import { flag, num, numOrNull, type SqlRow } from '../../db/sql-runner.ts';
import { SqlWhere } from '../../db/sql-where.ts';
import type { ChannelMessage, NotificationKind, Priority } from '../channels/channel-message.ts';
import type {
  NotificationAttempt,
  NotificationFilter,
  NotificationPage,
  NotificationScope,
  NotificationStatus,
  HeldReason,
  StoredNotification,
} from './notification.ts';

/** The SQL of the outbox that is the same on both dialects; claims and settlements differ (the per-dialect stores). */

const TIMES = ['next_attempt_at', 'claimed_until', 'event_at', 'created_at', 'expires_at', 'sent_at', 'updated_at'];

export function notificationColumns(d: SqlDialect, prefix = ''): string {
  const plain = [
    'notification_id',
    'execution_id',
    'team_id',
    'session_id',
    'event_id',
    'event_type',
    'channel_id',
    'kind',
    'priority',
    'status',
    'retry_count',
    'claimed_by',
    'message',
    'error',
    'status_code',
    'held_reason',
    'opens_window',
    'digest_id',
    'digest_size',
  ];
  return [...plain.map((c) => `${prefix}${c}`), ...TIMES.map((c) => d.msColumn(`${prefix}${c}`))].join(', ');
}

export function notificationFromRow(r: SqlRow): StoredNotification {
  return {
    notificationId: r.notification_id as string,
    executionId: (r.execution_id as string | null) ?? null,
    teamId: (r.team_id as string | null) ?? null,
    sessionId: (r.session_id as string | null) ?? null,
    eventId: (r.event_id as string | null) ?? null,
    eventType: (r.event_type as string | null) ?? null,
    channelId: r.channel_id as string,
    kind: r.kind as NotificationKind,
    priority: r.priority as Priority,
    message: JSON.parse(r.message as string) as ChannelMessage,
    status: r.status as NotificationStatus,
    retryCount: num(r.retry_count),
    nextAttemptAt: num(r.next_attempt_at),
    claimedUntil: numOrNull(r.claimed_until),
    claimedBy: (r.claimed_by as string | null) ?? null,
    error: (r.error as string | null) ?? null,
    statusCode: numOrNull(r.status_code),
    eventAt: num(r.event_at),
    createdAt: num(r.created_at),
    expiresAt: num(r.expires_at),
    sentAt: numOrNull(r.sent_at),
    updatedAt: num(r.updated_at),
    heldReason: (r.held_reason as HeldReason | null) ?? null,
    opensWindow: flag(r.opens_window),
    digestId: (r.digest_id as string | null) ?? null,
    digestSize: num(r.digest_size ?? 0),
  };
}

export function attemptFromRow(r: SqlRow): NotificationAttempt {
  return {
    notificationId: r.notification_id as string,
    attempt: num(r.attempt),
    startedAt: num(r.started_at),
    latencyMs: num(r.latency_ms),
    statusCode: numOrNull(r.status_code),
    outcome: r.outcome as NotificationAttempt['outcome'],
    error: (r.error as string | null) ?? null,
    responseExcerpt: (r.response_excerpt as string | null) ?? null,
  };
}

/** The token's binding, in the query. */
function scoped(where: SqlWhere, scope: NotificationScope): SqlWhere {
  if (scope.teamId !== null) where.add('team_id = ?', scope.teamId);
  if (scope.sessionId !== null) where.add('session_id = ?', scope.sessionId);
  return where;
}

function filtered(where: SqlWhere, filter: NotificationFilter): SqlWhere {
  return where
    .eq('status', filter.status)
    .eq('session_id', filter.sessionId)
    .eq('team_id', filter.teamId)
    .eq('channel_id', filter.channelId)
    .eq('digest_id', filter.digestId);
}

export function listQuery(d: SqlDialect, filter: NotificationFilter, page: NotificationPage, scope: NotificationScope): Query {
  const where = scoped(filtered(new SqlWhere(), filter), scope);
  if (page.before) {
    where.add(
      `(created_at < ${d.timeParam()} OR (created_at = ${d.timeParam()} AND notification_id < ?))`,
      page.before.createdAt,
      page.before.createdAt,
      page.before.notificationId,
    );
  }
  return {
    text: `SELECT ${notificationColumns(d)} FROM notifications ${where} ORDER BY created_at DESC, notification_id DESC LIMIT ?`,
    values: [...where.values, page.limit],
  };
}

export function getQuery(d: SqlDialect, notificationId: string, scope: NotificationScope): Query {
  const where = scoped(new SqlWhere().add('notification_id = ?', notificationId), scope);
  return { text: `SELECT ${notificationColumns(d)} FROM notifications ${where}`, values: where.values };
}

export function attemptsQuery(d: SqlDialect, notificationId: string): Query {
  return {
    text: `SELECT notification_id, attempt, ${d.msColumn('started_at')}, latency_ms, status_code, outcome, error, response_excerpt
             FROM notification_attempts WHERE notification_id = ? ORDER BY attempt`,
    values: [notificationId],
  };
}

/**
 * Failed or dead notifications due again now, with a new window; a sent one never goes
 * again, and a digest's member goes again only with its digest.
 */
export function requeueQuery(
  d: SqlDialect,
  filter: NotificationFilter & { notificationId?: string; statuses: NotificationStatus[] },
  scope: NotificationScope,
  now: number,
  expiresAt: number,
): Query {
  const statuses = filter.statuses.filter((s) => s === 'failed' || s === 'dead');
  const where = scoped(filtered(new SqlWhere(), { ...filter, status: undefined }), scope)
    .add(`status IN (${statuses.map(() => '?').join(', ') || 'NULL'})`, ...statuses)
    .add('digest_id IS NULL')
    .eq('notification_id', filter.notificationId);
  return {
    text: `UPDATE notifications SET status = 'pending', next_attempt_at = ${d.timeParam()}, expires_at = ${d.timeParam()},
             claimed_until = NULL, claimed_by = NULL, updated_at = ${d.timeParam()} ${where}`,
    values: [now, expiresAt, now, ...where.values],
  };
}

/**
 * Dead: what outlived its window undelivered, what waits for a channel that is gone, and
 * the members of a digest that died. Each status set is one a partial index covers (the due
 * index's, `new`, `held`, members'), so no statement reads the whole outbox.
 */
export function expireQueries(d: SqlDialect, now: number): Query[] {
  const outlived = (statuses: string): Query => ({
    text: `UPDATE notifications SET status = 'dead', updated_at = ${d.timeParam()},
             error = COALESCE(error || '; ', '') || 'not delivered within its retry window'
           WHERE status IN (${statuses}) AND expires_at <= ${d.timeParam()}`,
    values: [now, now],
  });
  const orphaned = (statuses: string): Query => ({
    text: `UPDATE notifications SET status = 'dead', updated_at = ${d.timeParam()}, error = 'its channel does not exist (removed, or never added)'
           WHERE status IN (${statuses}) AND NOT EXISTS (SELECT 1 FROM channels c WHERE c.channel_id = notifications.channel_id)`,
    values: [now],
  });
  return [
    outlived(`'pending', 'failed'`),
    outlived(`'new'`),
    orphaned(`'pending', 'failed'`),
    orphaned(`'new'`),
    orphaned(`'held'`),
    {
      text: `UPDATE notifications SET status = 'dead', updated_at = ${d.timeParam()}, error = 'its digest was not delivered'
             WHERE digest_id IS NOT NULL AND status = 'digested'
               AND digest_id IN (SELECT notification_id FROM notifications WHERE status = 'dead' AND digest_size > 0)`,
      values: [now],
    },
  ];
}

export function figuresQuery(d: SqlDialect): Query {
  return {
    text: `SELECT
             (SELECT count(*) FROM notifications WHERE status IN ('pending', 'sending'))
               + (SELECT count(*) FROM notifications WHERE status = 'new') AS pending,
             (SELECT count(*) FROM notifications WHERE status = 'held') AS held,
             (SELECT count(*) FROM notifications WHERE status = 'failed') AS failed,
             (SELECT count(*) FROM notifications WHERE status = 'dead') AS dead,
             (SELECT ${d.msFrom('min(created_at)')} FROM notifications WHERE status IN ('pending', 'sending', 'failed')) AS oldest`,
    values: [],
  };
}

export function pruneQueries(d: SqlDialect, before: number): Query[] {
  const old = `SELECT notification_id FROM notifications WHERE created_at < ${d.timeParam()} AND status IN ('sent', 'dead')`;
  return [
    { text: `DELETE FROM notification_attempts WHERE notification_id IN (${old})`, values: [before] },
    { text: `DELETE FROM notifications WHERE created_at < ${d.timeParam()} AND status IN ('sent', 'dead')`, values: [before] },
  ];
}
