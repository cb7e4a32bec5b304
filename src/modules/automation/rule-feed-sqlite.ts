import type { SqliteDatabase } from '../../db/database.ts';
import { derivedCommits } from '../../db/derived-commits.ts';
import { COLUMNS as EVENT_COLUMNS, toEvent, type EventRow } from '../events/event-row-sqlite.ts';
import { prepareExecutionInsert } from '../executions/execution-store-sqlite.ts';
import { prepareNotificationInsert } from '../notifications/notification-store-sqlite.ts';
import type { FiredBatch, RuleFeed } from './rule-feed.ts';

/**
 * SQLite: the `rules` cursor over events.id (migration 0009), trailing the `sessions`
 * cursor. The events are read outside any transaction and the rules evaluated without the
 * write lock; the commit then moves the cursor only from where the batch found it (a
 * compare-and-set), so of two processes reading the same batch exactly one stores its
 * executions, and ingest waits for the lock no longer than those inserts take.
 */
export function createSqliteRuleFeed(db: SqliteDatabase): RuleFeed {
  const sqlite = db.sqlite;
  const cursors = sqlite.prepare(
    `SELECT (SELECT last_id FROM derivation_cursor WHERE name = 'rules') AS rules,
            (SELECT last_id FROM derivation_cursor WHERE name = 'sessions') AS sessions`,
  );
  const read = sqlite.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE id > ? AND id <= ? ORDER BY id LIMIT ?`);
  const move = sqlite.prepare(`UPDATE derivation_cursor SET last_id = ? WHERE name = 'rules' AND last_id = ?`);
  const insert = prepareExecutionInsert(sqlite, true);
  const insertNotification = prepareNotificationInsert(sqlite);
  const NONE: FiredBatch = { executions: [], notifications: [] };
  const commitTx = sqlite.transaction((from: number, to: number, fired: FiredBatch): boolean => {
    if (move.run(to, from).changes === 0) return false;
    for (const e of fired.executions) insert(e);
    for (const n of fired.notifications) insertNotification(n);
    return true;
  }).immediate;
  const derived = derivedCommits(sqlite);
  const commit = (from: number, to: number, fired: FiredBatch) => derived(() => commitTx(from, to, fired));

  const position = () => cursors.get() as { rules: number; sessions: number };
  return {
    async pending() {
      const { rules, sessions } = position();
      return rules < sessions;
    },
    async take(limit, evaluate) {
      const { rules, sessions } = position();
      if (rules >= sessions) return 0;
      // With no rule anywhere the cursor jumps to the derivation's without reading.
      if (!evaluate) return commit(rules, sessions, NONE) ? sessions - rules : 0;
      const rows = read.all(rules, sessions, limit) as EventRow[];
      // Ids have gaps (deleted sessions): a short batch covers the whole range.
      const to = rows.length === limit ? rows[rows.length - 1]!.id : sessions;
      const fired = rows.length > 0 ? await evaluate(rows.map(toEvent)) : NONE;
      return commit(rules, to, fired) ? Math.max(rows.length, 1) : 0;
    },
  };
}
