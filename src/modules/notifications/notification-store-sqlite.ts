import type { SqliteDatabase } from '../../db/database.ts';
import { SQLITE_DIALECT as d, type Query } from '../../db/sql-dialect.ts';
import { num, sqliteValue, type SqlRow } from '../../db/sql-runner.ts';
import { channelColumns, channelFromRow } from '../channels/channel-store.ts';
import type { Claimed, NewNotification, NotificationStore, Settlement, StoredNotification } from './notification.ts';
import {
  attemptFromRow,
  attemptsQuery,
  expireQueries,
  figuresQuery,
  getQuery,
  listQuery,
  notificationFromRow,
  pruneQueries,
  requeueQuery,
} from './notification-queries.ts';
import { channelEffects, claimCandidates, executionResult, memberError, MERGE_WINDOW_MS, pickClaims } from './outbox-rules.ts';
import { batchSteps, batchWorkQuery } from './batch-steps.ts';

/**
 * SQLite's outbox: claims and settlements are short IMMEDIATE transactions, so the write
 * lock is what keeps two processes (a server, a CLI retry) from claiming one row.
 */
export function createSqliteNotificationStore(db: SqliteDatabase): NotificationStore {
  const sqlite = db.sqlite;
  const all = (q: Query) => sqlite.prepare(q.text).all(...q.values) as SqlRow[];
  const run = (q: Query) => sqlite.prepare(q.text).run(...q.values).changes;

  const candidates = sqlite.prepare(claimCandidates(d));
  const channelsById = (ids: string[]) =>
    all({ text: `SELECT ${channelColumns(d)} FROM channels WHERE channel_id IN (${ids.map(() => '?').join(', ')})`, values: ids }).map(
      channelFromRow,
    );
  const markSending = sqlite.prepare(
    `UPDATE notifications SET status = 'sending', claimed_by = ?, claimed_until = ?, updated_at = ? WHERE notification_id = ?`,
  );
  const pace = sqlite.prepare('UPDATE channels SET next_send_at = max(next_send_at, ?) WHERE channel_id = ?');
  const claimTx = sqlite.transaction((o: Parameters<NotificationStore['claim']>[0]): Claimed[] => {
    const rows = (candidates.all(o.now, o.now, o.now, o.limit * 4) as SqlRow[]).map(notificationFromRow);
    if (rows.length === 0) return [];
    const channels = new Map(channelsById([...new Set(rows.map((r) => r.channelId))]).map((c) => [c.channelId, c]));
    const claimed = pickClaims(rows, channels, o.limit, o.pacingMs);
    for (const { notification } of claimed) markSending.run(o.workerId, o.now + o.leaseMs, o.now, notification.notificationId);
    for (const [channelId, next] of paced(claimed, o)) pace.run(next, channelId);
    return claimed.map(({ notification, channel }) => ({
      notification: { ...notification, status: 'sending', claimedBy: o.workerId, claimedUntil: o.now + o.leaseMs },
      channel,
    }));
  }).immediate;

  const settleNotification = sqlite.prepare(
    `UPDATE notifications SET status = @status, retry_count = retry_count + @failed, next_attempt_at = @next, claimed_until = NULL,
            claimed_by = NULL, error = @error, status_code = @code, sent_at = CASE WHEN @status = 'sent' THEN @now ELSE sent_at END,
            updated_at = @now
      WHERE notification_id = @id AND status = 'sending' AND claimed_by = @worker
      RETURNING execution_id, digest_size`,
  );
  // A digest's members end as their digest does: sent with it, or dead with it.
  const settleMembers = sqlite.prepare(
    `UPDATE notifications SET status = @status, sent_at = CASE WHEN @status = 'sent' THEN @now ELSE sent_at END, status_code = @code,
            error = @error, updated_at = @now
      WHERE digest_id = @id
      RETURNING execution_id`,
  );
  const insertAttempt = sqlite.prepare(
    `INSERT INTO notification_attempts (notification_id, attempt, started_at, latency_ms, status_code, outcome, error, response_excerpt)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (notification_id, attempt) DO NOTHING`,
  );
  const channelAfter = sqlite.prepare(
    `UPDATE channels SET failure_streak = CASE WHEN @reset = 1 THEN @failures ELSE failure_streak + @failures END,
            next_send_at = max(next_send_at, COALESCE(@next_send, 0)),
            paused = CASE WHEN @pause IS NULL THEN paused ELSE 1 END,
            paused_reason = CASE WHEN @pause IS NULL OR paused = 1 THEN paused_reason ELSE @pause END,
            paused_at = CASE WHEN @pause IS NULL OR paused = 1 THEN paused_at ELSE @now END
      WHERE channel_id = @channel`,
  );
  const ofExecution = sqlite.prepare(
    `SELECT channel_id, notification_id, status, status_code, ${d.msColumn('sent_at')}, error FROM notifications WHERE execution_id = ? ORDER BY channel_id`,
  );
  const updateExecution = sqlite.prepare(
    'UPDATE hook_executions SET notification_sent = ?, notification_result = ?, updated_at = ? WHERE execution_id = ?',
  );
  const settleTx = sqlite.transaction((settlements: readonly Settlement[]): boolean[] => {
    const executions = new Set<string>();
    const recorded = settlements.map((s) => {
      const row = settleNotification.get({
        status: s.status,
        failed: s.status === 'sent' ? 0 : 1,
        next: s.nextAttemptAt,
        error: s.error,
        code: s.attempt.statusCode,
        now: s.now,
        id: s.attempt.notificationId,
        worker: s.workerId,
      }) as { execution_id: string | null; digest_size: number } | undefined;
      if (!row) return false;
      const a = s.attempt;
      insertAttempt.run(a.notificationId, a.attempt, a.startedAt, a.latencyMs, a.statusCode, a.outcome, a.error, a.responseExcerpt);
      if (s.status === 'failed') return true;
      if (row.execution_id) executions.add(row.execution_id);
      if (row.digest_size > 0) {
        const members = settleMembers.all({
          status: s.status,
          now: s.now,
          code: s.attempt.statusCode,
          error: memberError(s),
          id: s.attempt.notificationId,
        }) as { execution_id: string | null }[];
        for (const m of members) if (m.execution_id) executions.add(m.execution_id);
      }
      return true;
    });
    const now = settlements[0]?.now ?? 0;
    for (const e of channelEffects(settlements.filter((_, i) => recorded[i]))) {
      channelAfter.run({
        reset: e.reset ? 1 : 0,
        failures: e.failures,
        next_send: e.nextSendAt,
        pause: e.pause,
        now,
        channel: e.channelId,
      });
    }
    for (const id of executions) {
      const result = executionResult(ofExecution.all(id) as SqlRow[]);
      if (result) updateExecution.run(result.sent ? 1 : 0, JSON.stringify(result.result), now, id);
    }
    return recorded;
  }).immediate;

  return {
    async claim(options) {
      return claimTx(options);
    },
    async settle(settlements) {
      return settlements.length === 0 ? [] : settleTx(settlements);
    },
    async list(filter, page, scope) {
      return all(listQuery(d, filter, page, scope)).map(notificationFromRow);
    },
    async get(id, scope) {
      const [row] = all(getQuery(d, id, scope));
      return row ? notificationFromRow(row) : null;
    },
    async attempts(id) {
      return all(attemptsQuery(d, id)).map(attemptFromRow);
    },
    async requeue(filter, scope, now, expiresAt) {
      return run(requeueQuery(d, filter, scope, now, expiresAt));
    },
    async batch(input) {
      const [probe] = all(batchWorkQuery());
      if (num(probe!.work) === 0) return { decided: 0, held: 0, digests: 0, released: 0 };
      const policyOf = await input.policies();
      return sqlite
        .transaction(() => {
          const steps = batchSteps(d, { now: input.now, retryWindowMs: input.retryWindowMs, policyOf });
          for (let step = steps.next([]); ; ) {
            if (step.done) return step.value;
            const stmt = sqlite.prepare(step.value.text);
            const values = step.value.values.map(sqliteValue);
            step = steps.next(/^\s*SELECT/i.test(step.value.text) ? (stmt.all(...values) as SqlRow[]) : (stmt.run(...values), []));
          }
        })
        .immediate();
    },
    async expire(now) {
      return sqlite.transaction(() => expireQueries(d, now).reduce((n, q) => n + run(q), 0)).immediate();
    },
    async figures(now) {
      const [r] = all(figuresQuery(d));
      return {
        pending: num(r!.pending),
        held: num(r!.held),
        failed: num(r!.failed),
        dead: num(r!.dead),
        oldestPendingMs: r!.oldest === null ? 0 : Math.max(0, now - num(r!.oldest)),
      };
    },
    async prune(before) {
      const [attempts, notifications] = pruneQueries(d, before);
      return sqlite
        .transaction(() => {
          run(attempts!);
          return run(notifications!);
        })
        .immediate();
    },
  };
}

/** Channels a claim paces, and when each may send next. */
function paced(claimed: Claimed[], o: Parameters<NotificationStore['claim']>[0]): Map<string, number> {
  const next = new Map<string, number>();
  for (const { channel } of claimed) {
    const ms = o.pacingMs(channel);
    if (ms > 0) next.set(channel.channelId, o.now + ms);
  }
  return next;
}

/**
 * The insert a rules pass runs in its own transaction (rule-feed-sqlite.ts). A permission
 * notification is merged into one of the other kind of report of the same prompt (the
 * PermissionRequest and its Notification) for the same session and channel within
 * MERGE_WINDOW_MS; an id already stored (a replayed pass) inserts nothing.
 */
export function prepareNotificationInsert(sqlite: SqliteDatabase['sqlite']): (n: NewNotification) => boolean {
  const insert = sqlite.prepare(
    `INSERT INTO notifications (notification_id, execution_id, team_id, session_id, event_id, event_type, channel_id, kind, priority,
       status, retry_count, next_attempt_at, message, event_at, created_at, expires_at, updated_at, error)
     SELECT @id, @execution, @team, @session, @event, @event_type, @channel, @kind, @priority, @status, 0, @created, @message,
            @event_at, @created, @expires, @created, @error
      WHERE NOT (@kind = 'permission' AND EXISTS (
        SELECT 1 FROM notifications m WHERE m.session_id = @session AND m.channel_id = @channel AND m.kind = 'permission'
           AND m.event_type <> @event_type AND m.event_at BETWEEN @event_at - ${MERGE_WINDOW_MS} AND @event_at + ${MERGE_WINDOW_MS}))
     ON CONFLICT (notification_id) DO NOTHING`,
  );
  return (n) =>
    insert.run({
      id: n.notificationId,
      execution: n.executionId,
      team: n.teamId,
      session: n.sessionId,
      event: n.eventId,
      event_type: n.eventType,
      channel: n.channelId,
      kind: n.kind,
      priority: n.priority,
      created: n.createdAt,
      message: JSON.stringify(n.message),
      event_at: n.eventAt,
      expires: n.expiresAt,
      status: n.status,
      error: n.error,
    }).changes > 0;
}

export type { StoredNotification };
