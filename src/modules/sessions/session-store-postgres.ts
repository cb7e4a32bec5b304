import type { PostgresDatabase } from '../../db/database.ts';
import { POSTGRES_DIALECT } from '../../db/sql-dialect.ts';
import { sessionFromRow, STATUS_SQL, toolUseFromRow, visible, type SessionStore } from './session.ts';

export function createPostgresSessionStore(db: PostgresDatabase): SessionStore {
  const pool = db.pool;
  return {
    async list(filter, scope) {
      const where: string[] = [];
      const params: unknown[] = [];
      const p = (value: unknown) => {
        params.push(value);
        return `$${params.length}`;
      };
      if (filter.status) where.push(STATUS_SQL[filter.status]);
      if (filter.project !== undefined) where.push(`project = ${p(filter.project)}`);
      if (filter.source !== undefined) where.push(`source = ${p(filter.source)}`);
      if (scope.teamId) where.push(`team_id = ${p(scope.teamId)}`);
      if (scope.sessionId) where.push(`session_id = ${p(scope.sessionId)}`);
      if (filter.after) {
        const t = POSTGRES_DIALECT.timeParam(p(filter.after.lastActivityAt));
        where.push(`(last_activity_at < ${t} OR (last_activity_at = ${t} AND session_id < ${p(filter.after.sessionId)}))`);
      }
      const limit = p(filter.limit + 1);
      const { rows } = await pool.query(
        `SELECT * FROM sessions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY last_activity_at DESC, session_id DESC LIMIT ${limit}`,
        params,
      );
      return rows.map(sessionFromRow);
    },
    async get(sessionId, scope) {
      const { rows } = await pool.query('SELECT * FROM sessions WHERE session_id = $1', [sessionId]);
      const row = rows[0] as Record<string, unknown> | undefined;
      return row && visible(row, scope) ? sessionFromRow(row) : null;
    },
    async toolUses(filter, scope) {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (sql: string, value: unknown) => {
        params.push(value);
        where.push(`${sql} $${params.length}`);
      };
      if (scope.sessionId && filter.sessionId && filter.sessionId !== scope.sessionId) return [];
      const sessionId = scope.sessionId ?? filter.sessionId;
      if (sessionId !== undefined) add('t.session_id =', sessionId);
      if (filter.toolName !== undefined) add('t.tool_name =', filter.toolName);
      if (scope.teamId) add('s.team_id =', scope.teamId);
      params.push(filter.limit);
      const { rows } = await pool.query(
        `SELECT t.* FROM tool_uses t ${scope.teamId ? 'JOIN sessions s USING (session_id)' : ''}
          ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY t.started_at IS NULL, COALESCE(t.started_at, t.ended_at), t.id LIMIT $${params.length}`,
        params,
      );
      return rows.map(toolUseFromRow);
    },
  };
}
