import type { Query, SqlDialect } from '../../db/sql-dialect.ts';
import { num, type SqlRow } from '../../db/sql-runner.ts';
import type { NotificationKind } from '../channels/channel-message.ts';
import {
  decideFresh,
  decideHeld,
  groupKey,
  type BatchDecision,
  type FreshNotification,
  type HeldGroup,
  type PolicyOf,
} from './batching.ts';
import { digestIdOf, digestMessage } from './digest-message.ts';
import { notificationColumns, notificationFromRow } from './notification-queries.ts';
import type { BatchInput, BatchOutcome } from './notification.ts';

/** Fresh notifications decided per transaction; the rest wait for the next round. */
export const FRESH_PER_BATCH = 500;

/** Whether batching has anything to do: a read, so an idle outbox takes no write lock. */
export const batchWorkQuery = (): Query => ({
  text: `SELECT (SELECT count(*) FROM (SELECT 1 FROM notifications WHERE status = 'new' LIMIT 1) f)
              + (SELECT count(*) FROM (SELECT 1 FROM notifications WHERE status = 'held' LIMIT 1) h) AS work`,
  values: [],
});

/**
 * Batching's statements, in order, for one transaction: each yield is a query, answered with
 * its rows. The same steps run on both storages (the SQLite store drives them synchronously
 * inside its write lock, the PostgreSQL one under an advisory lock), so the rules of digests
 * and quiet hours are written once.
 */
export function* batchSteps(
  d: SqlDialect,
  input: Omit<BatchInput, 'policies'> & { policyOf: PolicyOf },
): Generator<Query, BatchOutcome, SqlRow[]> {
  const { now, policyOf } = input;
  const outcome: BatchOutcome = { decided: 0, held: 0, digests: 0, released: 0 };

  const freshRows = yield {
    text: `SELECT notification_id, team_id, channel_id, kind, priority, ${d.msColumn('created_at')} FROM notifications
            WHERE status = 'new' ORDER BY created_at, notification_id LIMIT ?`,
    values: [FRESH_PER_BATCH],
  };
  if (freshRows.length > 0) {
    const fresh: FreshNotification[] = freshRows.map((r) => ({
      notificationId: r.notification_id as string,
      teamId: (r.team_id as string | null) ?? null,
      channelId: r.channel_id as string,
      kind: r.kind as NotificationKind,
      priority: r.priority as FreshNotification['priority'],
      createdAt: num(r.created_at),
    }));
    const windows = new Map<string, number>();
    const longest = Math.max(0, ...fresh.map((n) => policyOf(n.teamId).windowMs));
    if (longest > 0) {
      const channels = [...new Set(fresh.map((n) => n.channelId))];
      const opened = yield {
        text: `SELECT team_id, channel_id, kind, ${d.msFrom('max(created_at)')} AS opened FROM notifications
                WHERE ${d.isSet('opens_window')} AND channel_id IN (${channels.map(() => '?').join(', ')})
                  AND created_at > ${d.timeParam()}
                GROUP BY team_id, channel_id, kind`,
        values: [...channels, now - longest],
      };
      for (const r of opened) {
        windows.set(
          groupKey({ teamId: (r.team_id as string | null) ?? null, channelId: r.channel_id as string, kind: r.kind as string }),
          num(r.opened),
        );
      }
    }
    for (const update of decisionUpdates(d, decideFresh(fresh, windows, policyOf, now), now)) yield update;
    outcome.decided = fresh.length;
  }

  const groupRows = yield {
    text: `SELECT team_id, channel_id, kind, count(*) AS held, sum(CASE WHEN held_reason = 'digest' THEN 1 ELSE 0 END) AS digest,
                  ${d.msFrom('min(next_attempt_at)')} AS first_release
             FROM notifications WHERE status = 'held' GROUP BY team_id, channel_id, kind`,
    values: [],
  };
  const groups: HeldGroup[] = groupRows.map((r) => ({
    teamId: (r.team_id as string | null) ?? null,
    channelId: r.channel_id as string,
    kind: r.kind as NotificationKind,
    held: num(r.held),
    waitingForDigest: num(r.digest),
    firstReleaseAt: num(r.first_release),
  }));
  outcome.held = groups.reduce((n, g) => n + g.held, 0);
  const ofGroup = `status = 'held' AND NOT (${d.differs('team_id', '?')}) AND channel_id = ? AND kind = ?`;
  for (const action of decideHeld(groups, policyOf, now)) {
    const { teamId, channelId, kind } = action.group;
    if (action.action === 'defer') {
      yield {
        text: `UPDATE notifications SET held_reason = 'quiet_hours', next_attempt_at = ${d.timeParam()}, updated_at = ${d.timeParam()}
                WHERE ${ofGroup} AND next_attempt_at < ${d.timeParam()}`,
        values: [action.until, now, teamId, channelId, kind, action.until],
      };
      continue;
    }
    const members = (yield {
      text: `SELECT ${notificationColumns(d)} FROM notifications WHERE ${ofGroup} ORDER BY created_at, notification_id`,
      values: [teamId, channelId, kind],
    }).map(notificationFromRow);
    if (members.length === 0) continue;
    outcome.released += members.length;
    outcome.digests++;
    const expiresAt = now + input.retryWindowMs;
    if (members.length === 1) {
      yield {
        text: `UPDATE notifications SET status = 'pending', next_attempt_at = ${d.timeParam()}, updated_at = ${d.timeParam()},
                      expires_at = ${d.greatest('expires_at', d.timeParam())}
                WHERE notification_id = ? AND status = 'held'`,
        values: [now, now, expiresAt, members[0]!.notificationId],
      };
      continue;
    }
    const ids = members.map((m) => m.notificationId);
    const digestId = digestIdOf(ids);
    const message = digestMessage(kind, members);
    const sessions = new Set(members.map((m) => m.sessionId));
    yield {
      text: `INSERT INTO notifications (notification_id, execution_id, team_id, session_id, event_id, event_type, channel_id, kind, priority,
               status, retry_count, next_attempt_at, message, event_at, created_at, expires_at, updated_at, digest_size)
             VALUES (?, NULL, ?, ?, NULL, ?, ?, ?, 'normal', 'pending', 0, ${d.timeParam()}, ?, ${d.timeParam()}, ${d.timeParam()},
                     ${d.timeParam()}, ${d.timeParam()}, ?)
             ON CONFLICT (notification_id) DO NOTHING`,
      values: [
        digestId,
        teamId,
        sessions.size === 1 ? members[0]!.sessionId : null,
        message.context.event_type,
        channelId,
        kind,
        now,
        JSON.stringify(message),
        Math.min(...members.map((m) => m.eventAt)),
        now,
        expiresAt,
        now,
        members.length,
      ],
    };
    yield {
      text: `UPDATE notifications SET status = 'digested', digest_id = ?, next_attempt_at = ${d.timeParam()}, updated_at = ${d.timeParam()}
              WHERE notification_id IN (${ids.map(() => '?').join(', ')}) AND status = 'held'`,
      values: [digestId, now, now, ...ids],
    };
  }
  return outcome;
}

/** The decisions as a few set-based updates: one per outcome and release time. */
function decisionUpdates(d: SqlDialect, decisions: readonly BatchDecision[], now: number): Query[] {
  const byShape = new Map<string, { decision: BatchDecision; ids: string[] }>();
  for (const decision of decisions) {
    const shape = decision.status === 'pending' ? `p:${decision.opensWindow}` : `h:${decision.heldReason}:${decision.releaseAt}`;
    const entry = byShape.get(shape) ?? { decision, ids: [] };
    entry.ids.push(decision.notificationId);
    byShape.set(shape, entry);
  }
  return [...byShape.values()].map(({ decision, ids }) => {
    const held = decision.status === 'held';
    return {
      text: `UPDATE notifications SET status = ?, held_reason = ?, opens_window = ?, next_attempt_at = ${d.timeParam()},
                    updated_at = ${d.timeParam()}
              WHERE notification_id IN (${ids.map(() => '?').join(', ')}) AND status = 'new'`,
      values: [
        decision.status,
        held ? decision.heldReason : null,
        !held && decision.opensWindow,
        held ? decision.releaseAt : now,
        now,
        ...ids,
      ],
    };
  });
}
