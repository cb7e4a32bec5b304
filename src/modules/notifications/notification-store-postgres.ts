import type pg from 'pg';
import type { PostgresDatabase } from '../../db/database.ts';
import { withPostgresTransaction } from '../../db/postgres-transaction.ts';
import { POSTGRES_DIALECT as d, type Query } from '../../db/sql-dialect.ts';
import { num, type SqlRow } from '../../db/sql-runner.ts';
import { channelColumns, channelFromRow } from '../channels/channel-store.ts';
import type { Claimed, NewNotification, NotificationStore } from './notification.ts';
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

const { timeParam, timeFromMs, msColumn } = d;
/** The advisory lock batching holds for its transaction (an arbitrary key of hookd's). */
const BATCH_LOCK = 0x686f6f6b64;

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

    settle(settlements) {
      if (settlements.length === 0) return Promise.resolve([]);
      // Set-based: a round's settlements are a few statements and one commit, whatever its size.
      return withPostgresTransaction(pool, async (client) => {
        const rows = settlements.map((s) => ({
          id: s.attempt.notificationId,
          worker: s.workerId,
          status: s.status,
          failed: s.status === 'sent' ? 0 : 1,
          next: s.nextAttemptAt,
          error: s.error,
          code: s.attempt.statusCode,
          now: s.now,
          attempt: s.attempt.attempt,
          started: s.attempt.startedAt,
          latency: s.attempt.latencyMs,
          outcome: s.attempt.outcome,
          attempt_error: s.attempt.error,
          excerpt: s.attempt.responseExcerpt,
        }));
        const recordset = `jsonb_to_recordset($1::jsonb) AS s(id text, worker text, status text, failed int, next int8, error text,
            code int, now int8, attempt int, started int8, latency float8, outcome text, attempt_error text, excerpt text)`;
        const { rows: done } = await client.query<{
          notification_id: string;
          execution_id: string | null;
          status: string;
          digest_size: number;
        }>(
          `UPDATE notifications n SET status = s.status, retry_count = n.retry_count + s.failed, next_attempt_at = ${timeFromMs('s.next')},
                  claimed_until = NULL, claimed_by = NULL, error = s.error, status_code = s.code,
                  sent_at = CASE WHEN s.status = 'sent' THEN ${timeFromMs('s.now')} ELSE n.sent_at END, updated_at = ${timeFromMs('s.now')}
             FROM ${recordset}
            WHERE n.notification_id = s.id AND n.status = 'sending' AND n.claimed_by = s.worker
            RETURNING n.notification_id, n.execution_id, n.status, n.digest_size`,
          [JSON.stringify(rows)],
        );
        // A digest's members end as their digest does: sent with it, or dead with it.
        const digests = new Set(done.filter((r) => r.digest_size > 0).map((r) => r.notification_id));
        const ended = settlements.filter((s) => s.status !== 'failed' && digests.has(s.attempt.notificationId));
        const members =
          ended.length === 0
            ? []
            : (
                await client.query<{ execution_id: string | null }>(
                  `UPDATE notifications n SET status = s.status, status_code = s.code, error = s.error, updated_at = ${timeFromMs('s.now')},
                          sent_at = CASE WHEN s.status = 'sent' THEN ${timeFromMs('s.now')} ELSE n.sent_at END
                     FROM jsonb_to_recordset($1::jsonb) AS s(id text, status text, code int, error text, now int8)
                    WHERE n.digest_id = s.id
                    RETURNING n.execution_id`,
                  [
                    JSON.stringify(
                      ended.map((s) => ({
                        id: s.attempt.notificationId,
                        status: s.status,
                        code: s.attempt.statusCode,
                        error: memberError(s),
                        now: s.now,
                      })),
                    ),
                  ],
                )
              ).rows;
        const settled = new Set(done.map((r) => r.notification_id));
        const recorded = settlements.map((s) => settled.has(s.attempt.notificationId));
        await client.query(
          `INSERT INTO notification_attempts (notification_id, attempt, started_at, latency_ms, status_code, outcome, error, response_excerpt)
           SELECT s.id, s.attempt, ${timeFromMs('s.started')}, s.latency, s.code, s.outcome, s.attempt_error, s.excerpt FROM ${recordset}
            WHERE s.id = ANY($2::text[])
           ON CONFLICT (notification_id, attempt) DO NOTHING`,
          [JSON.stringify(rows), [...settled]],
        );
        const effects = channelEffects(settlements.filter((_, i) => recorded[i]));
        if (effects.length > 0) {
          await client.query(
            `UPDATE channels c SET failure_streak = CASE WHEN e.reset THEN e.failures ELSE c.failure_streak + e.failures END,
                    next_send_at = GREATEST(c.next_send_at, COALESCE(${timeFromMs('e."nextSendAt"')}, c.next_send_at)),
                    paused_reason = CASE WHEN e.pause IS NULL OR c.paused THEN c.paused_reason ELSE e.pause END,
                    paused_at = CASE WHEN e.pause IS NULL OR c.paused THEN c.paused_at ELSE ${timeParam('$2')} END,
                    paused = c.paused OR e.pause IS NOT NULL
               FROM jsonb_to_recordset($1::jsonb) AS e("channelId" text, reset boolean, failures int, pause text, "nextSendAt" int8)
              WHERE c.channel_id = e."channelId"`,
            [JSON.stringify(effects), settlements[0]!.now],
          );
        }
        const executions = [
          ...new Set(
            [...done.filter((r) => r.status !== 'failed'), ...members].map((r) => r.execution_id).filter((id): id is string => id !== null),
          ),
        ];
        if (executions.length > 0) {
          const { rows: all } = await client.query<SqlRow>(
            `SELECT execution_id, channel_id, notification_id, status, status_code, ${msColumn('sent_at')}, error FROM notifications
              WHERE execution_id = ANY($1::text[]) ORDER BY execution_id, channel_id`,
            [executions],
          );
          const results = executions.flatMap((id) => {
            const result = executionResult(all.filter((r) => r.execution_id === id));
            return result ? [{ id, sent: result.sent, result: result.result }] : [];
          });
          if (results.length > 0) {
            await client.query(
              `UPDATE hook_executions h SET notification_sent = r.sent, notification_result = r.result, updated_at = ${timeParam('$2')}
                 FROM jsonb_to_recordset($1::jsonb) AS r(id text, sent boolean, result jsonb) WHERE h.execution_id = r.id`,
              [JSON.stringify(results), settlements[0]!.now],
            );
          }
        }
        return recorded;
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
    async batch(input) {
      const [probe] = await q(pool, batchWorkQuery());
      if (num(probe!.work) === 0) return { decided: 0, held: 0, digests: 0, released: 0 };
      const policyOf = await input.policies();
      return withPostgresTransaction(pool, async (client) => {
        // One batcher at a time across processes: two deciding the same group at once could
        // both find no open window and both send at once.
        await client.query('SELECT pg_advisory_xact_lock($1)', [BATCH_LOCK]);
        const steps = batchSteps(d, { now: input.now, retryWindowMs: input.retryWindowMs, policyOf });
        for (let step = steps.next([]); ; ) {
          if (step.done) return step.value;
          step = steps.next(await q(client, step.value));
        }
      });
    },
    async expire(now) {
      let n = 0;
      for (const query of expireQueries(d, now)) n += (await pool.query(d.placeholders(query.text), query.values)).rowCount ?? 0;
      return n;
    },
    async figures(now) {
      const [r] = await q(pool, figuresQuery(d));
      return {
        pending: num(r!.pending),
        held: num(r!.held),
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
       status, retry_count, next_attempt_at, message, event_at, created_at, expires_at, updated_at, error)
     SELECT n."notificationId", n."executionId", n."teamId", n."sessionId", n."eventId", n."eventType", n."channelId", n.kind, n.priority,
            n.status, 0, ${timeFromMs('n."createdAt"')}, n.message::text, ${timeFromMs('n."eventAt"')}, ${timeFromMs('n."createdAt"')},
            ${timeFromMs('n."expiresAt"')}, ${timeFromMs('n."createdAt"')}, n.error
       FROM jsonb_to_recordset($1::jsonb) AS n("notificationId" text, "executionId" text, "teamId" text, "sessionId" text, "eventId" text,
            "eventType" text, "channelId" text, kind text, priority text, message jsonb, "eventAt" int8, "createdAt" int8, "expiresAt" int8,
            status text, error text)
      WHERE NOT (n.kind = 'permission' AND EXISTS (
        SELECT 1 FROM notifications m WHERE m.session_id = n."sessionId" AND m.channel_id = n."channelId" AND m.kind = 'permission'
           AND m.event_type <> n."eventType"
           AND m.event_at BETWEEN ${timeFromMs(`(n."eventAt" - ${MERGE_WINDOW_MS})`)} AND ${timeFromMs(`(n."eventAt" + ${MERGE_WINDOW_MS})`)}))
     ON CONFLICT (notification_id) DO NOTHING`,
    [JSON.stringify(notifications)],
  );
  return rowCount ?? 0;
}
