import type { PostgresDatabase } from '../../db/database.ts';
import { POSTGRES_DIALECT } from '../../db/sql-dialect.ts';
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

export function createPostgresSessionStore(db: PostgresDatabase): SessionStore {
  const pool = db.pool;
  return {
    async list(filter, scope) {
      const q = sessionListQuery(POSTGRES_DIALECT, filter, scope);
      const { rows } = await pool.query(POSTGRES_DIALECT.placeholders(q.text), q.values);
      return rows.map(sessionFromRow);
    },
    async counts(endedSince, scope) {
      const q = sessionCountsQuery(POSTGRES_DIALECT, endedSince, scope);
      const { rows } = await pool.query<Record<keyof SessionCounts, string>>(POSTGRES_DIALECT.placeholders(q.text), q.values);
      const row = rows[0]!;
      // count() is int8, which pg hands over as a string.
      return { active: Number(row.active), idle: Number(row.idle), ended: Number(row.ended) };
    },
    async get(sessionId, scope) {
      const { rows } = await pool.query('SELECT * FROM sessions WHERE session_id = $1', [sessionId]);
      const row = rows[0] as Record<string, unknown> | undefined;
      return row && visible(row, scope) ? sessionFromRow(row) : null;
    },
    async agents(sessionId, scope) {
      if (scope.sessionId && scope.sessionId !== sessionId) return [];
      const { rows } = await pool.query(
        `SELECT a.* FROM session_agents a JOIN sessions s USING (session_id)
          WHERE a.session_id = $1${scope.teamId ? ' AND s.team_id = $2' : ''} ORDER BY a.first_seen_at, a.agent_id`,
        scope.teamId ? [sessionId, scope.teamId] : [sessionId],
      );
      return rows.map(sessionAgentFromRow);
    },
    async usage(sessionId, scope) {
      if (scope.sessionId && scope.sessionId !== sessionId) return [];
      const q = promptUsageQuery(sessionId, scope);
      const { rows } = await pool.query(POSTGRES_DIALECT.placeholders(q.text), q.values);
      return rows.map(promptUsageFromRow);
    },
    async tasks(sessionId, scope) {
      if (scope.sessionId && scope.sessionId !== sessionId) return [];
      const q = sessionTasksQuery(sessionId, scope);
      const { rows } = await pool.query(POSTGRES_DIALECT.placeholders(q.text), q.values);
      return rows.map(sessionTaskFromRow);
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
