import type { SqliteDriver } from '../../db/database.ts';
import type { NormalizedEvent } from './event.ts';

export type SqliteEventWriter = (groups: readonly (readonly NormalizedEvent[])[]) => number[];

/** Told each event stored (not a duplicate) with its id, inside the transaction. */
export type StoredEventListener = (id: number, event: NormalizedEvent) => void;

/**
 * Stores groups of events in one transaction and returns the duplicates per group. The
 * sessions and tool uses they derive follow in a later pass (session-deriver-sqlite.ts).
 * Used on the main thread by the CLI and emit, and inside the write thread by the server.
 */
export function createSqliteEventWriter(sqlite: SqliteDriver, onStored?: StoredEventListener): SqliteEventWriter {
  const insert = sqlite.prepare(
    `INSERT INTO events (event_id, session_id, event_type, ts, received_at, source, workflow_id, phase_id,
       milestone_id, team_id, task_id, user, host, data)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (event_id, session_id) DO NOTHING`,
  );
  // IMMEDIATE takes the write lock up front, so a hook writing the same file from another
  // process makes us wait (busy_timeout) instead of failing mid-transaction.
  return sqlite.transaction((groups: readonly (readonly NormalizedEvent[])[]) =>
    groups.map((group) => {
      let duplicates = 0;
      for (const e of group) {
        const { changes, lastInsertRowid } = insert.run(
          e.eventId, e.sessionId, e.eventType, e.ts, e.receivedAt, e.source, e.workflowId, e.phaseId,
          e.milestoneId, e.teamId, e.taskId, e.user, e.host, e.dataJson,
        );
        if (changes === 0) duplicates++;
        else onStored?.(Number(lastInsertRowid), e);
      }
      return duplicates;
    }),
  ).immediate;
}
