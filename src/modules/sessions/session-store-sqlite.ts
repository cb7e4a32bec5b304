import type { SqliteDatabase } from '../../db/database.ts';
import { sessionFromRow, STATUS_SQL, toolUseFromRow, visible, type SessionStore } from './session.ts';

export function createSqliteSessionStore(db: SqliteDatabase): SessionStore {
  const sqlite = db.sqlite;
  const one = sqlite.prepare('SELECT * FROM sessions WHERE session_id = ?');
  return {
    async list(filter, scope) {
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (sql: string, value: unknown) => {
        where.push(sql);
        params.push(value);
      };
      if (filter.status) where.push(STATUS_SQL[filter.status]);
      if (filter.project !== undefined) add('project = ?', filter.project);
      if (filter.source !== undefined) add('source = ?', filter.source);
      if (scope.teamId) add('team_id = ?', scope.teamId);
      if (scope.sessionId) add('session_id = ?', scope.sessionId);
      if (filter.after) {
        where.push('(last_activity_at < ? OR (last_activity_at = ? AND session_id < ?))');
        params.push(filter.after.lastActivityAt, filter.after.lastActivityAt, filter.after.sessionId);
      }
      params.push(filter.limit + 1);
      const rows = sqlite
        .prepare(
          `SELECT * FROM sessions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
            ORDER BY last_activity_at DESC, session_id DESC LIMIT ?`,
        )
        .all(...params) as Record<string, unknown>[];
      return rows.map(sessionFromRow);
    },
    async get(sessionId, scope) {
      const row = one.get(sessionId) as Record<string, unknown> | undefined;
      return row && visible(row, scope) ? sessionFromRow(row) : null;
    },
    async toolUses(filter, scope) {
      const where: string[] = [];
      const params: unknown[] = [];
      const sessionId = scope.sessionId ?? filter.sessionId;
      if (scope.sessionId && filter.sessionId && filter.sessionId !== scope.sessionId) return [];
      if (sessionId !== undefined) {
        where.push('t.session_id = ?');
        params.push(sessionId);
      }
      if (filter.toolName !== undefined) {
        where.push('t.tool_name = ?');
        params.push(filter.toolName);
      }
      if (scope.teamId) {
        where.push('s.team_id = ?');
        params.push(scope.teamId);
      }
      params.push(filter.limit);
      const rows = sqlite
        .prepare(
          `SELECT t.* FROM tool_uses t ${scope.teamId ? 'JOIN sessions s USING (session_id)' : ''}
            ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
            ORDER BY t.started_at IS NULL, COALESCE(t.started_at, t.ended_at), t.id LIMIT ?`,
        )
        .all(...params) as Record<string, unknown>[];
      return rows.map(toolUseFromRow);
    },
  };
}
