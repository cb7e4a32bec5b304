import type { SqliteDatabase, SqliteDriver } from '../../db/database.ts';
import { executionFromRow, type Execution, type ExecutionStore } from './execution.ts';
import { executionListWhere } from './execution-list-where.ts';

const COLUMNS = `execution_id, hook_id, hook_type, team_id, event_type, event_id, ticket_key, project_key, status, started_at,
  completed_at, execution_time_ms, notification_sent, notification_result, errors, metadata, created_at, updated_at`;

type Row = Record<string, unknown>;

const fromRow = (r: Row): Execution =>
  executionFromRow(
    r,
    (v) => v as number,
    (v) => JSON.parse(v as string),
  );

const json = (v: unknown) => (v === null ? null : JSON.stringify(v));

/** An execution as the parameters of an INSERT of COLUMNS, in their order. */
function executionValues(e: Execution): unknown[] {
  return [
    e.executionId,
    e.hookId,
    e.hookType,
    e.teamId,
    e.eventType,
    e.eventId,
    e.ticketKey,
    e.projectKey,
    e.status,
    e.startedAt,
    e.completedAt,
    e.executionTimeMs,
    e.notificationSent ? 1 : 0,
    json(e.notificationResult),
    json(e.errors),
    json(e.metadata),
    e.createdAt,
    e.updatedAt,
  ];
}

/**
 * A prepared INSERT of executions, for this store and for writers that record executions
 * inside their own transaction (the rules feed); with `ignoreDuplicates` a replayed
 * execution id inserts nothing.
 */
export function prepareExecutionInsert(sqlite: SqliteDriver, ignoreDuplicates: boolean): (e: Execution) => void {
  const insert = sqlite.prepare(
    `INSERT INTO hook_executions (${COLUMNS}) VALUES (${COLUMNS.split(',')
      .map(() => '?')
      .join(', ')})${ignoreDuplicates ? ' ON CONFLICT (execution_id) DO NOTHING' : ''}`,
  );
  return (e) => {
    insert.run(...executionValues(e));
  };
}

export function createSqliteExecutionStore(db: SqliteDatabase): ExecutionStore {
  const sqlite = db.sqlite;
  const insert = prepareExecutionInsert(sqlite, false);
  const byId = sqlite.prepare(`SELECT ${COLUMNS} FROM hook_executions WHERE execution_id = ?`);
  const update = sqlite.prepare(
    `UPDATE hook_executions SET status = ?, completed_at = ?, execution_time_ms = ?, notification_sent = ?, notification_result = ?,
            errors = ?, metadata = ?, updated_at = ? WHERE execution_id = ?`,
  );
  return {
    async insert(e) {
      insert(e);
    },
    async get(executionId) {
      const row = byId.get(executionId) as Row | undefined;
      return row ? fromRow(row) : null;
    },
    async update(e) {
      return (
        update.run(
          e.status,
          e.completedAt,
          e.executionTimeMs,
          e.notificationSent ? 1 : 0,
          json(e.notificationResult),
          json(e.errors),
          json(e.metadata),
          e.updatedAt,
          e.executionId,
        ).changes > 0
      );
    },
    async list(filter) {
      const { where, values } = executionListWhere(filter);
      const rows = sqlite
        .prepare(`SELECT ${COLUMNS} FROM hook_executions ${where} ORDER BY started_at DESC, execution_id DESC LIMIT ?`)
        .all(...values, filter.limit + 1) as Row[];
      return rows.map(fromRow);
    },
  };
}
