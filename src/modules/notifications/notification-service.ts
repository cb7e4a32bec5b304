import { ConflictError, NotFoundError, ValidationError } from '../../core/app-error.ts';
import { SILENT_LOG, writeAudit, type ServiceLog } from '../../core/audit-log.ts';
import type { Principal } from '../../core/principal.ts';
import { decodeTimeCursor, encodeTimeCursor } from '../../core/time-cursor.ts';
import type { ChannelMessage } from '../channels/channel-message.ts';
import {
  NOTIFICATION_STATUSES,
  type NotificationAttempt,
  type NotificationFilter,
  type NotificationScope,
  type NotificationStatus,
  type NotificationStore,
  type OutboxFigures,
  type StoredNotification,
} from './notification.ts';

export interface NotificationView {
  notification_id: string;
  status: NotificationStatus;
  kind: string;
  priority: string;
  channel: string;
  team_id: string | null;
  session_id: string | null;
  event_id: string | null;
  event_type: string | null;
  execution_id: string | null;
  retry_count: number;
  error: string | null;
  status_code: number | null;
  title: string;
  created_at: string;
  next_attempt_at: string | null;
  held_reason: string | null;
  opens_window: boolean;
  digest_id: string | null;
  digest_size: number;
  sent_at: string | null;
  expires_at: string;
}

export interface AttemptView {
  attempt: number;
  started_at: string;
  latency_ms: number;
  status_code: number | null;
  outcome: string;
  error: string | null;
  response_excerpt: string | null;
}

export interface NotificationListQuery {
  status?: string;
  session_id?: string;
  team_id?: string;
  channel?: string;
  digest_id?: string;
  limit?: number;
  cursor?: string;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Reads of the outbox (seed 003's notification tracking) and the operator's two levers:
 * retry one notification, replay dead ones by filter. A bound token sees and moves only
 * its team's or its session's notifications, in the store query.
 */
export class NotificationService {
  private readonly store: NotificationStore;
  private readonly windowMs: number;
  private readonly log: ServiceLog;
  private readonly now: () => number;
  private wakeWorker: () => void = () => {};

  constructor(store: NotificationStore, windowMs: number, log: ServiceLog = SILENT_LOG, now: () => number = Date.now) {
    this.store = store;
    this.windowMs = windowMs;
    this.log = log;
    this.now = now;
  }

  /** What requeued notifications wake: this process's worker. */
  onRequeue(wake: () => void): void {
    this.wakeWorker = wake;
  }

  async list(query: NotificationListQuery, actor: Principal): Promise<{ items: NotificationView[]; next_cursor: string | null }> {
    const limit = query.limit ?? 50;
    const before = query.cursor ? decodeTimeCursor(query.cursor) : undefined;
    const rows = await this.store.list(
      filterOf(query),
      { limit: limit + 1, ...(before ? { before: { createdAt: before.at, notificationId: before.id } } : {}) },
      scopeOf(actor),
    );
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map(view),
      next_cursor: rows.length > limit && last ? encodeTimeCursor({ at: last.createdAt, id: last.notificationId }) : null,
    };
  }

  async get(id: string, actor: Principal): Promise<NotificationView & { message: ChannelMessage; attempts: AttemptView[] }> {
    const n = await this.stored(id, actor);
    return { ...view(n), message: n.message, attempts: (await this.store.attempts(id)).map(attemptView) };
  }

  /** A failed or dead notification, due again now with a fresh window. */
  async retry(id: string, actor: Principal): Promise<NotificationView> {
    const n = await this.stored(id, actor);
    if (n.digestId !== null) {
      throw new ConflictError('not_retryable', `notification ${id} went in digest ${n.digestId}: retry the digest, which carries it`);
    }
    if (n.status !== 'failed' && n.status !== 'dead') {
      throw new ConflictError('not_retryable', `notification ${id} is ${n.status}: only failed and dead ones are sent again`);
    }
    const now = this.now();
    await this.store.requeue({ notificationId: id, statuses: ['failed', 'dead'] }, scopeOf(actor), now, now + this.windowMs);
    this.audit(actor, 'notification.retry', id);
    this.wakeWorker();
    return view((await this.store.get(id, scopeOf(actor)))!);
  }

  /** Dead notifications (by default) matching the filter, due again now; how many. */
  async replay(query: Omit<NotificationListQuery, 'limit' | 'cursor'>, actor: Principal): Promise<{ requeued: number }> {
    const filter = filterOf(query);
    const statuses: NotificationStatus[] = filter.status ? [filter.status] : ['dead'];
    if (statuses.some((s) => s !== 'failed' && s !== 'dead'))
      throw new ValidationError([{ field: 'status', message: 'replays failed or dead notifications only' }]);
    const now = this.now();
    const requeued = await this.store.requeue({ ...filter, statuses }, scopeOf(actor), now, now + this.windowMs);
    this.audit(actor, 'notification.replay', null);
    if (requeued > 0) this.wakeWorker();
    return { requeued };
  }

  figures(): Promise<OutboxFigures> {
    return this.store.figures(this.now());
  }

  /** Deletes notifications older than the retention; how many. */
  prune(retentionDays: number): Promise<number> {
    return this.store.prune(this.now() - retentionDays * 86_400_000);
  }

  private async stored(id: string, actor: Principal): Promise<StoredNotification> {
    const n = await this.store.get(id, scopeOf(actor));
    if (!n) throw new NotFoundError(`no notification ${id}`, 'notification_not_found');
    return n;
  }

  private audit(actor: Principal, action: string, target: string | null): void {
    writeAudit(this.log, { actor: actor.actor, action, target, team: actor.teamId, session: actor.sessionId });
  }
}

function filterOf(query: Omit<NotificationListQuery, 'limit' | 'cursor'>): NotificationFilter {
  if (query.status !== undefined && !NOTIFICATION_STATUSES.includes(query.status as NotificationStatus)) {
    throw new ValidationError([{ field: 'status', message: `must be one of ${NOTIFICATION_STATUSES.join(', ')}` }]);
  }
  return {
    ...(query.status ? { status: query.status as NotificationStatus } : {}),
    ...(query.session_id ? { sessionId: query.session_id } : {}),
    ...(query.team_id ? { teamId: query.team_id } : {}),
    ...(query.channel ? { channelId: query.channel } : {}),
    ...(query.digest_id ? { digestId: query.digest_id } : {}),
  };
}

const scopeOf = (actor: Principal): NotificationScope => ({ teamId: actor.teamId, sessionId: actor.sessionId });

function view(n: StoredNotification): NotificationView {
  return {
    notification_id: n.notificationId,
    status: n.status,
    kind: n.kind,
    priority: n.priority,
    channel: n.channelId,
    team_id: n.teamId,
    session_id: n.sessionId,
    event_id: n.eventId,
    event_type: n.eventType,
    execution_id: n.executionId,
    retry_count: n.retryCount,
    error: n.error,
    status_code: n.statusCode,
    title: n.message.title,
    created_at: iso(n.createdAt)!,
    next_attempt_at: n.status === 'pending' || n.status === 'failed' || n.status === 'held' ? iso(n.nextAttemptAt) : null,
    held_reason: n.heldReason,
    opens_window: n.opensWindow,
    digest_id: n.digestId,
    digest_size: n.digestSize,
    sent_at: iso(n.sentAt),
    expires_at: iso(n.expiresAt)!,
  };
}

function attemptView(a: NotificationAttempt): AttemptView {
  return {
    attempt: a.attempt,
    started_at: iso(a.startedAt)!,
    latency_ms: Math.round(a.latencyMs),
    status_code: a.statusCode,
    outcome: a.outcome,
    error: a.error,
    response_excerpt: a.responseExcerpt,
  };
}
