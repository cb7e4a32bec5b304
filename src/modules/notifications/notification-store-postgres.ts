import type pg from 'pg';
import type { PostgresDatabase } from '../../db/database.ts';
import { withPostgresTransaction } from '../../db/postgres-transaction.ts';
import { POSTGRES_DIALECT as d, type Query } from '../../db/sql-dialect.ts';
import { num, type SqlRow } from '../../db/sql-runner.ts';
import { channelColumns, channelFromRow } from '../channels/channel-store.ts';
import type { Claimed, NewNotification, NotificationStore, Settlement } from './notification.ts';
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
import { claimCandidates, executionResult, MERGE_WINDOW_MS, pickClaims } from './outbox-rules.ts';

const { timeParam, timeFromMs, msColumn } = d;

/**
 * PostgreSQL's outbox, shared by any number of processes: a claim locks its rows FOR UPDATE
 * SKIP LOCKED (and, for a paced channel, the channel's row), marks them sending and
 * commits before anything is sent, so no two workers ever hold one notification.
 */
export function createPostgresNotificationStore(db: PostgresDatabase): NotificationStore {
  const pool = db.pool;
  const q = async (client: Pick<pg.Pool, 'query'>, query: Query) =>
    (await client.query<SqlRow>(d.placeholders(query.text), query.values)).rows;
  const candidates = `${claimCandidates(d)} FOR UPDATE OF n SKIP LOCKED`;

  return {
    claim(o) {
      return withPostgresTransaction(pool, async (client) => {
        const rows = (await client.query<SqlRow>(candidates, [o.now, o.now, o.now, o.limit * 4])).rows.map(notificationFromRow);
        if (rows.length === 0) return [];
        const ids = [...new Set(rows.map((r) => r.channelId))];
        // A paced channel another worker is claiming for is skipped, not waited for.
        const { rows: channelRows } = await client.query<SqlRow>(
          `SELECT ${channelColumns(d)} FROM channels WHERE channel_id = ANY($1::text[]) AND next_send_at <= ${timeParam('$2')}
             FOR UPDATE SKIP LOCKED`,
          [ids, o.now],
        );
        const channels = new Map(channelRows.map(channelFromRow).map((c) => [c.channelId, c]));
        const claimed = pickClaims(rows, channels, o.limit, o.pacingMs);
        if (claimed.length === 0) return [];
        await client.query(
          `UPDATE notifications SET status = 'sending', claimed_by = $1, claimed_until = ${timeParam('$2')}, updated_at = ${timeParam('$3')}
            WHERE notification_id = ANY($4::text[])`,
          [o.workerId, o.now + o.leaseMs, o.now, claimed.map((c) => c.notification.notificationId)],
        );
        const paced = claimed.filter((c) => o.pacingMs(c.channel) > 0);
        if (paced.length > 0) {
          await client.query(
            `UPDATE channels c SET next_send_at = GREATEST(c.next_send_at, ${timeFromMs('p.next')})
               FROM unnest($1::text[], $2::int8[]) AS p(channel_id, next) WHERE c.channel_id = p.channel_id`,
            [paced.map((c) => c.channel.channelId), paced.map((c) => o.now + o.pacingMs(c.channel))],
          );
        }
        return claimed.map(
          ({ notification, channel }): Claimed => ({
            notification: { ...notification, status: 'sending', claimedBy: o.workerId, claimedUntil: o.now + o.leaseMs },
            channel,
          }),
        );
      });
    },

    settle(s: Settlement) {
      return withPostgresTransaction(pool, async (client) => {
        const a = s.attempt;
        const { rows } = await client.query<{ execution_id: string | null }>(
          `UPDATE notifications SET status = $1, retry_count = retry_count + $2, next_attempt_at = ${timeParam('$3')},
                  claimed_until = NULL, claimed_by = NULL, error = $4, status_code = $5,
                  sent_at = CASE WHEN $1 = 'sent' THEN ${timeParam('$6')} ELSE sent_at END, updated_at = ${timeParam('$6')}
            WHERE notification_id = $7 AND status = 'sending' AND claimed_by = $8
            RETURNING execution_id`,
          [s.status, s.status === 'sent' ? 0 : 1, s.nextAttemptAt, s.error, a.statusCode, s.now, a.notificationId, s.workerId],
        );
        const row = rows[0];
        if (!row) return false;
        await client.query(
          `INSERT INTO notification_attempts (notification_id, attempt, started_at, latency_ms, status_code, outcome, error, response_excerpt)
           VALUES ($1, $2, ${timeParam('$3')}, $4, $5, $6, $7, $8) ON CONFLICT (notification_id, attempt) DO NOTHING`,
          [a.notificationId, a.attempt, a.startedAt, a.latencyMs, a.statusCode, a.outcome, a.error, a.responseExcerpt],
        );
        if (s.channel) {
          await client.query(
            `UPDATE channels SET failure_streak = CASE WHEN $1 THEN failure_streak + 1 ELSE 0 END,
                    next_send_at = GREATEST(next_send_at, COALESCE(${timeParam('$2')}, next_send_at)),
                    paused_reason = CASE WHEN $3::text IS NULL OR paused THEN paused_reason ELSE $3 END,
                    paused_at = CASE WHEN $3::text IS NULL OR paused THEN paused_at ELSE ${timeParam('$4')} END,
                    paused = paused OR $3::text IS NOT NULL
              WHERE channel_id = $5`,
            [s.channel.failed, s.channel.nextSendAt, s.channel.pause, s.now, s.channel.channelId],
          );
        }
        if (row.execution_id && s.status !== 'failed') {
          const { rows: all } = await client.query<SqlRow>(
            `SELECT channel_id, notification_id, status, status_code, ${msColumn('sent_at')}, error FROM notifications
              WHERE execution_id = $1 ORDER BY channel_id`,
            [row.execution_id],
          );
          const result = executionResult(all);
          if (result) {
            await client.query(
              `UPDATE hook_executions SET notification_sent = $1, notification_result = $2::jsonb, updated_at = ${timeParam('$3')}
                WHERE execution_id = $4`,
              [result.sent, JSON.stringify(result.result), s.now, row.execution_id],
            );
          }
        }
        return true;
      });
    },

    async list(filter, page, scope) {
      return (await q(pool, listQuery(d, filter, page, scope))).map(notificationFromRow);
    },
    async get(id, scope) {
      const [row] = await q(pool, getQuery(d, id, scope));
      return row ? notificationFromRow(row) : null;
    },
    async attempts(id) {
      return (await q(pool, attemptsQuery(d, id))).map(attemptFromRow);
    },
    async requeue(filter, scope, now, expiresAt) {
      const query = requeueQuery(d, filter, scope, now, expiresAt);
      return (await pool.query(d.placeholders(query.text), query.values)).rowCount ?? 0;
    },
    async expire(now) {
      let n = 0;
      for (const query of expireQueries(d, now)) n += (await pool.query(d.placeholders(query.text), query.values)).rowCount ?? 0;
      return n;
    },
    async figures(now) {
      const [r] = await q(pool, figuresQuery(d, now));
      return {
        pending: num(r!.pending),
        failed: num(r!.failed),
        dead: num(r!.dead),
        oldestPendingMs: r!.oldest === null ? 0 : Math.max(0, now - num(r!.oldest)),
      };
    },
    prune(before) {
      return withPostgresTransaction(pool, async (client) => {
        const [attempts, notifications] = pruneQueries(d, before);
        await client.query(d.placeholders(attempts!.text), attempts!.values);
        return (await client.query(d.placeholders(notifications!.text), notifications!.values)).rowCount ?? 0;
      });
    },
  };
}

/**
 * The insert a rules pass runs in its transaction (rule-feed-postgres.ts), one statement
 * for the batch. Permission notifications merge as on SQLite; within the batch the caller
 * has merged already (planNotifications), since one statement does not see its own rows.
 */
export async function insertNotifications(client: Pick<pg.Pool, 'query'>, notifications: readonly NewNotification[]): Promise<number> {
  if (notifications.length === 0) return 0;
  const { rowCount } = await client.query(
    `INSERT INTO notifications (notification_id, execution_id, team_id, session_id, event_id, event_type, channel_id, kind, priority,
       status, retry_count, next_attempt_at, message, event_at, created_at, expires_at, updated_at)
     SELECT n."notificationId", n."executionId", n."teamId", n."sessionId", n."eventId", n."eventType", n."channelId", n.kind, n.priority,
            'pending', 0, ${timeFromMs('n."createdAt"')}, n.message::text, ${timeFromMs('n."eventAt"')}, ${timeFromMs('n."createdAt"')},
            ${timeFromMs('n."expiresAt"')}, ${timeFromMs('n."createdAt"')}
       FROM jsonb_to_recordset($1::jsonb) AS n("notificationId" text, "executionId" text, "teamId" text, "sessionId" text, "eventId" text,
            "eventType" text, "channelId" text, kind text, priority text, message jsonb, "eventAt" int8, "createdAt" int8, "expiresAt" int8)
      WHERE NOT (n.kind = 'permission' AND EXISTS (
        SELECT 1 FROM notifications m WHERE m.session_id = n."sessionId" AND m.channel_id = n."channelId" AND m.kind = 'permission'
           AND m.event_type <> n."eventType"
           AND m.event_at BETWEEN ${timeFromMs(`(n."eventAt" - ${MERGE_WINDOW_MS})`)} AND ${timeFromMs(`(n."eventAt" + ${MERGE_WINDOW_MS})`)}))
     ON CONFLICT (notification_id) DO NOTHING`,
    [JSON.stringify(notifications)],
  );
  return rowCount ?? 0;
}
