import type { SqliteDriver } from '../../db/database.ts';
import type { NormalizedEvent } from './event.ts';
import { SessionOwnerCache, settleOwners, type GroupOutcome } from './session-owners.ts';

/** `teamBound[g]`: group g's writer may write only its own team's sessions (session-owners.ts). */
export type SqliteEventWriter = (groups: readonly (readonly NormalizedEvent[])[], teamBound?: readonly boolean[]) => GroupOutcome[];

/** Told each event stored (not a duplicate) with its id, inside the transaction. */
export type StoredEventListener = (id: number, event: NormalizedEvent) => void;

/**
 * Stores groups of events in one transaction and returns the duplicates per group. The
 * sessions and tool uses they derive follow in a later pass (session-deriver-sqlite.ts);
 * the owner of each new session is recorded here, in the same transaction.
 * Used on the main thread by the CLI and emit, and inside the write thread by the server.
 */
export function createSqliteEventWriter(sqlite: SqliteDriver, onStored?: StoredEventListener): SqliteEventWriter {
  const insert = sqlite.prepare(
    `INSERT INTO events (event_id, session_id, event_type, ts, received_at, source, workflow_id, phase_id,
       milestone_id, team_id, task_id, user, host, data)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (event_id, session_id) DO NOTHING`,
  );
  const ownerRow = sqlite.prepare('SELECT team_id FROM session_owners WHERE session_id = ?');
  const claim = sqlite.prepare('INSERT INTO session_owners (session_id, team_id) VALUES (?, ?)');
  const cache = new SessionOwnerCache();
  const ownerOf = (sessionId: string) => {
    const known = cache.get(sessionId);
    if (known !== undefined) return known;
    const row = ownerRow.get(sessionId) as { team_id: string | null } | undefined;
    if (row) cache.remember(sessionId, row.team_id);
    return row?.team_id;
  };
  // IMMEDIATE takes the write lock up front, so a hook writing the same file from another
  // process makes us wait (busy_timeout) instead of failing mid-transaction; under that
  // lock no other writer can claim a session between the owner lookup and the claim.
  const transaction = sqlite.transaction((groups: readonly (readonly NormalizedEvent[])[], teamBound?: readonly boolean[]) => {
    const { refused, claims } = settleOwners(groups, teamBound, ownerOf);
    for (const [sessionId, teamId] of claims) claim.run(sessionId, teamId);
    const outcomes = groups.map((group, g): GroupOutcome => {
      const foreign = refused[g];
      if (foreign) return foreign;
      let duplicates = 0;
      for (const e of group) {
        const { changes, lastInsertRowid } = insert.run(
          e.eventId,
          e.sessionId,
          e.eventType,
          e.ts,
          e.receivedAt,
          e.source,
          e.workflowId,
          e.phaseId,
          e.milestoneId,
          e.teamId,
          e.taskId,
          e.user,
          e.host,
          e.dataJson,
        );
        if (changes === 0) duplicates++;
        else onStored?.(Number(lastInsertRowid), e);
      }
      return duplicates;
    });
    return { outcomes, claims };
  }).immediate;
  return (groups, teamBound) => {
    const { outcomes, claims } = transaction(groups, teamBound);
    for (const [sessionId, teamId] of claims) cache.remember(sessionId, teamId);
    return outcomes;
  };
}
