import type { SqliteDatabase } from '../../db/database.ts';
import { createSqliteAnalyticsWithdrawal } from '../derivation/analytics-writer-sqlite.ts';
import { deriveChanges } from '../derivation/session-derivation.ts';
import { createSqliteDerivation } from '../derivation/session-deriver-sqlite.ts';
import { createSqliteEventMinutesWithdrawal } from '../derivation/event-minutes-sqlite.ts';
import type { SessionMaintenanceStore, SessionRebuild } from './session-maintenance.ts';
import { REBUILD_PAGE, derivableEvent, sameRows, type RebuildEventRow } from '../derivation/session-rebuild.ts';
import { createSqliteSessionWriter } from '../derivation/session-writer-sqlite.ts';

interface EventRow extends RebuildEventRow {
  id: number;
  ts: number;
  data: string;
}

type Row = Record<string, unknown>;

export function createSqliteSessionMaintenance(db: SqliteDatabase): SessionMaintenanceStore {
  const sqlite = db.sqlite;
  const writeDerived = createSqliteSessionWriter(sqlite);
  const derivation = createSqliteDerivation(sqlite);
  const withdraw = createSqliteAnalyticsWithdrawal(sqlite);
  const withdrawMinutes = createSqliteEventMinutesWithdrawal(sqlite);
  const session = sqlite.prepare('SELECT * FROM sessions WHERE session_id = ?');
  const toolUses = sqlite.prepare('SELECT * FROM tool_uses WHERE session_id = ? ORDER BY tool_use_id');
  const deleteToolUses = sqlite.prepare('DELETE FROM tool_uses WHERE session_id = ?');
  const deleteSession = sqlite.prepare('DELETE FROM sessions WHERE session_id = ?');
  const deleteAgents = sqlite.prepare('DELETE FROM session_agents WHERE session_id = ?');
  const deleteUsage = sqlite.prepare('DELETE FROM token_usage WHERE session_id = ?');
  const deleteTaskLinks = sqlite.prepare('DELETE FROM session_tasks WHERE session_id = ?');
  // Events by session through session_events (migration 0005). Both run after every
  // pending event is derived (deriveAllIn), so session_events holds all of them.
  const deleteEvents = sqlite.prepare('DELETE FROM events WHERE id IN (SELECT id FROM session_events WHERE session_id = ?)');
  const deleteSessionEvents = sqlite.prepare('DELETE FROM session_events WHERE session_id = ?');
  const page = sqlite.prepare(
    `SELECT e.id, e.event_id, e.session_id, e.event_type, e.ts, e.source, e.team_id, e.user, e.host, e.task_id, e.data
       FROM session_events se CROSS JOIN events e ON e.id = se.id
      WHERE se.session_id = ? AND (se.ts > ? OR (se.ts = ? AND se.id > ?)) ORDER BY se.ts, se.id LIMIT ?`,
  );
  const STALE = `UPDATE sessions SET ended_at = last_activity_at, end_reason = 'stale', updated_at = @now
                  WHERE ended_at IS NULL AND last_activity_at <= @cutoff`;
  const sweep = sqlite.prepare(STALE);
  const keepStale = sqlite.prepare(
    `UPDATE sessions SET ended_at = last_activity_at, end_reason = 'stale' WHERE session_id = ? AND ended_at IS NULL AND last_activity_at <= ?`,
  );
  const restore = sqlite.prepare('UPDATE sessions SET created_at = ?, updated_at = ? WHERE session_id = ?');
  // The smaller of the two is taken in SQL: only the database's own order is sure to agree with `>`.
  const next = sqlite
    .prepare(
      `SELECT min(id) FROM (SELECT min(session_id) AS id FROM session_events WHERE session_id > @after
                            UNION ALL SELECT min(session_id) FROM sessions WHERE session_id > @after
                            UNION ALL SELECT min(session_id) FROM events NOT INDEXED
                                       WHERE id > (SELECT last_id FROM derivation_cursor WHERE name = 'sessions') AND session_id > @after)`,
    )
    .pluck();

  // IMMEDIATE: the write lock from the start, so no other process writes between the
  // read of the old rows and their replacement.
  const remove = sqlite.transaction((sessionId: string): boolean => {
    derivation.deriveAllIn();
    withdraw(sessionId);
    withdrawMinutes(sessionId, Date.now());
    deleteAgents.run(sessionId);
    deleteUsage.run(sessionId);
    deleteTaskLinks.run(sessionId);
    const removed = deleteToolUses.run(sessionId).changes + deleteSession.run(sessionId).changes + deleteEvents.run(sessionId).changes;
    deleteSessionEvents.run(sessionId);
    return removed > 0;
  }).immediate;

  const rebuild = sqlite.transaction((sessionId: string, now: number): SessionRebuild => {
    // Pending events first, through the passes: rebuilt rows then count every event once,
    // and the cursor moves past what the rebuild read.
    derivation.deriveAllIn();
    const before = session.get(sessionId) as Row | undefined;
    const toolUsesBefore = toolUses.all(sessionId) as Row[];
    withdraw(sessionId);
    deleteToolUses.run(sessionId);
    deleteSession.run(sessionId);
    deleteAgents.run(sessionId);
    deleteUsage.run(sessionId);
    deleteTaskLinks.run(sessionId);
    let events = 0;
    let at = { ts: -1, id: 0 };
    for (;;) {
      const rows = page.all(sessionId, at.ts, at.ts, at.id, REBUILD_PAGE) as EventRow[];
      if (rows.length === 0) break;
      const batch = rows.map((r) => derivableEvent(r, r.ts, JSON.parse(r.data) as Record<string, unknown>));
      writeDerived(deriveChanges(batch, { firstSeenOrder: true }), now);
      events += rows.length;
      const last = rows[rows.length - 1]!;
      at = { ts: last.ts, id: last.id };
      if (rows.length < REBUILD_PAGE) break;
    }
    if (before?.end_reason === 'stale') keepStale.run(sessionId, before.ended_at);
    const after = session.get(sessionId) as Row | undefined;
    const toolUsesAfter = toolUses.all(sessionId) as Row[];
    const changed = !sameRows(before ? [before] : [], after ? [after] : []) || !sameRows(toolUsesBefore, toolUsesAfter);
    // The row keeps when hookd first wrote it, and when it last changed.
    if (before && after) restore.run(before.created_at, changed ? after.updated_at : before.updated_at, sessionId);
    return { exists: after !== undefined, events, toolUses: toolUsesAfter.length, changed };
  }).immediate;

  return {
    async delete(sessionId) {
      return remove(sessionId);
    },
    async sweepStale(cutoff, now) {
      return sweep.run({ now, cutoff }).changes;
    },
    async nextSessionId(after) {
      return (next.get({ after: after ?? '' }) as string | null) ?? null;
    },
    async rebuild(sessionId, options) {
      return rebuild(sessionId, options.now);
    },
  };
}
