import type { PostgresDatabase } from '../../db/database.ts';
import { withPostgresTransaction } from '../../db/postgres-transaction.ts';
import { POSTGRES_DIALECT } from '../../db/sql-dialect.ts';
import { COLUMNS as EVENT_COLUMNS, toEvent, type EventRow } from '../events/event-row-postgres.ts';
import { insertExecutions } from '../executions/execution-store-postgres.ts';
import { insertNotifications } from '../notifications/notification-store-postgres.ts';
import type { RuleFeed } from './rule-feed.ts';

/** Queue rows (one per derivation pass, so up to a few thousand events) per rules pass. */
const PASS_ROWS = 2;
/** Fired executions per INSERT. */
const INSERT_ROWS = 500;

// Rows no other pass holds; deleting them is what marks them evaluated, and it commits
// with the fired executions or not at all.
const TAKE = `
DELETE FROM rule_queue
 WHERE id IN (SELECT id FROM rule_queue ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
RETURNING id, events`;

// By the events' key and time, so each lookup prunes to the event's partition.
const READ = `
SELECT ${EVENT_COLUMNS.split(', ')
  .map((c) => `e.${c}`)
  .join(', ')}
  FROM unnest($1::text[], $2::text[], $3::int8[]) WITH ORDINALITY AS k(session_id, event_id, ts, n)
  JOIN events e ON e.session_id = k.session_id AND e.event_id = k.event_id
   AND e.ts = ${POSTGRES_DIALECT.timeFromMs('k.ts')}
 ORDER BY k.n`;

/**
 * PostgreSQL: rule_queue (migration 0009), filled by the derivation passes with the keys of
 * the events they derived. Passes of any number of processes share it (SKIP LOCKED).
 */
export function createPostgresRuleFeed(db: PostgresDatabase): RuleFeed {
  const pool = db.pool;
  return {
    async pending() {
      const { rowCount } = await pool.query('SELECT 1 FROM rule_queue LIMIT 1');
      return (rowCount ?? 0) > 0;
    },
    take(_limit, evaluate) {
      return withPostgresTransaction(
        pool,
        async (client) => {
          const { rows } = await client.query<{ id: string; events: string }>(TAKE, [PASS_ROWS]);
          if (rows.length === 0) return 0;
          rows.sort((a, b) => Number(a.id) - Number(b.id));
          const keys = rows.flatMap((r) => JSON.parse(r.events) as [string, string, number][]);
          if (!evaluate || keys.length === 0) return keys.length;
          const found = await client.query<EventRow>(READ, [keys.map((k) => k[0]), keys.map((k) => k[1]), keys.map((k) => k[2])]);
          const { executions, notifications } = await evaluate(found.rows.map(toEvent));
          // In statements of INSERT_ROWS: serializing thousands at once held the main thread for tens of ms.
          for (let i = 0; i < executions.length; i += INSERT_ROWS)
            await insertExecutions(client, executions.slice(i, i + INSERT_ROWS), true);
          for (let i = 0; i < notifications.length; i += INSERT_ROWS)
            await insertNotifications(client, notifications.slice(i, i + INSERT_ROWS));
          return keys.length;
          // A lost commit puts the queue rows back, and the executions' ids make the replay insert nothing twice.
        },
        { durable: false },
      );
    },
  };
}
