import type pg from 'pg';
import type { PostgresDatabase } from '../../db/database.ts';
import { POSTGRES_DIALECT } from '../../db/sql-dialect.ts';
import { executionFromRow, type Execution, type ExecutionStore } from './execution.ts';
import { executionListWhere } from './execution-list-where.ts';

const { timeParam, timeFromMs, msColumn, placeholders } = POSTGRES_DIALECT;
const COLUMNS = `execution_id, hook_id, hook_type, team_id, event_type, event_id, ticket_key, project_key, status,
  ${msColumn('started_at')}, ${msColumn('completed_at')}, execution_time_ms, notification_sent, notification_result, errors, metadata,
  ${msColumn('created_at')}, ${msColumn('updated_at')}`;

type Row = Record<string, unknown>;

const fromRow = (r: Row): Execution => executionFromRow(r, Number, (v) => v);

// pg sends a JS array as a PostgreSQL array literal, never as JSON: JSON columns go as text.
const json = (v: unknown) => (v === null ? null : JSON.stringify(v));

/**
 * Inserts executions in one statement; `ignoreDuplicates` skips ids already stored (rules
 * derive an execution's id from the rule and the event, so a replay inserts nothing).
 */
export async function insertExecutions(db: Pick<pg.Pool, 'query'>, executions: Execution[], ignoreDuplicates: boolean): Promise<void> {
  if (executions.length === 0) return;
  await db.query(
    `INSERT INTO hook_executions (execution_id, hook_id, hook_type, team_id, event_type, event_id, ticket_key, project_key, status,
       started_at, completed_at, execution_time_ms, notification_sent, notification_result, errors, metadata, created_at, updated_at)
     SELECT e."executionId", e."hookId", e."hookType", e."teamId", e."eventType", e."eventId", e."ticketKey", e."projectKey", e.status,
            ${timeFromMs('e."startedAt"')}, ${timeFromMs('e."completedAt"')}, e."executionTimeMs", e."notificationSent",
            e."notificationResult", e.errors, e.metadata, ${timeFromMs('e."createdAt"')}, ${timeFromMs('e."updatedAt"')}
       FROM jsonb_to_recordset($1::jsonb) AS e("executionId" text, "hookId" text, "hookType" text, "teamId" text, "eventType" text,
            "eventId" text, "ticketKey" text, "projectKey" text, status text, "startedAt" int8, "completedAt" int8,
            "executionTimeMs" float8, "notificationSent" boolean, "notificationResult" jsonb, errors jsonb, metadata jsonb,
            "createdAt" int8, "updatedAt" int8)
     ${ignoreDuplicates ? 'ON CONFLICT (execution_id) DO NOTHING' : ''}`,
    [JSON.stringify(executions)],
  );
}

export function createPostgresExecutionStore(db: PostgresDatabase): ExecutionStore {
  const pool = db.pool;
  return {
    async insert(e) {
      await insertExecutions(pool, [e], false);
    },
    async get(executionId) {
      const { rows } = await pool.query<Row>(`SELECT ${COLUMNS} FROM hook_executions WHERE execution_id = $1`, [executionId]);
      return rows[0] ? fromRow(rows[0]) : null;
    },
    async update(e) {
      const { rowCount } = await pool.query(
        `UPDATE hook_executions SET status = $1, completed_at = ${timeParam('$2')}, execution_time_ms = $3, notification_sent = $4,
                notification_result = $5::jsonb, errors = $6::jsonb, metadata = $7::jsonb, updated_at = ${timeParam('$8')}
          WHERE execution_id = $9`,
        [
          e.status,
          e.completedAt,
          e.executionTimeMs,
          e.notificationSent,
          json(e.notificationResult),
          json(e.errors),
          json(e.metadata),
          e.updatedAt,
          e.executionId,
        ],
      );
      return (rowCount ?? 0) > 0;
    },
    async list(filter) {
      const { where, values } = executionListWhere(filter, timeParam());
      const text = placeholders(`SELECT ${COLUMNS} FROM hook_executions ${where} ORDER BY started_at DESC, execution_id DESC LIMIT ?`);
      const { rows } = await pool.query<Row>(text, [...values, filter.limit + 1]);
      return rows.map(fromRow);
    },
  };
}
