import type { SqliteDatabase } from '../../db/database.ts';
import { SQLITE_DIALECT } from '../../db/sql-dialect.ts';
import type { ReadScope } from '../../core/read-scope.ts';
import { promptUsageQuery, sessionCountsQuery, sessionListQuery, sessionTasksQuery } from './session-queries.ts';
import { sessionAgentFromRow } from './subagent-tree.ts';
import {
  promptUsageFromRow,
  sessionFromRow,
  sessionTaskFromRow,
  toolUseFromRow,
  visible,
  type SessionCounts,
  type SessionStore,
} from './session.ts';

export function createSqliteSessionStore(db: SqliteDatabase): SessionStore {
  const sqlite = db.sqlite;
  const one = sqlite.prepare('SELECT * FROM sessions WHERE session_id = ?');
  const agentsOf = (scope: ReadScope) =>
    sqlite.prepare(
      `SELECT a.* FROM session_agents a JOIN sessions s USING (session_id)
        WHERE a.session_id = ?${scope.teamId ? ' AND s.team_id = ?' : ''} ORDER BY a.first_seen_at, a.agent_id`,
    );
  return {
    async list(filter, scope) {
      const q = sessionListQuery(SQLITE_DIALECT, filter, scope);
      return (sqlite.prepare(q.text).all(...q.values) as Record<string, unknown>[]).map(sessionFromRow);
    },
    async counts(endedSince, scope) {
      const q = sessionCountsQuery(SQLITE_DIALECT, endedSince, scope);
      return sqlite.prepare(q.text).get(...q.values) as SessionCounts;
    },
    async get(sessionId, scope) {
      const row = one.get(sessionId) as Record<string, unknown> | undefined;
      return row && visible(row, scope) ? sessionFromRow(row) : null;
    },
    async agents(sessionId, scope) {
      if (scope.sessionId && scope.sessionId !== sessionId) return [];
      const params = scope.teamId ? [sessionId, scope.teamId] : [sessionId];
      return (agentsOf(scope).all(...params) as Record<string, unknown>[]).map(sessionAgentFromRow);
    },
    async usage(sessionId, scope) {
      if (scope.sessionId && scope.sessionId !== sessionId) return [];
      const q = promptUsageQuery(sessionId, scope);
      return (sqlite.prepare(q.text).all(...q.values) as Record<string, unknown>[]).map(promptUsageFromRow);
    },
    async tasks(sessionId, scope) {
      if (scope.sessionId && scope.sessionId !== sessionId) return [];
      const q = sessionTasksQuery(sessionId, scope);
      return (sqlite.prepare(q.text).all(...q.values) as Record<string, unknown>[]).map(sessionTaskFromRow);
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
