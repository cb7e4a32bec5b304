import type { ReadScope } from '../../core/read-scope.ts';
import type { Query, SqlDialect } from '../../db/sql-dialect.ts';
import { SqlWhere } from '../../db/sql-where.ts';
import { STATUS_SQL, type SessionFilter } from './session.ts';

/** A bound token's team and session, as conditions on sessions. */
function narrowed(where: SqlWhere, scope: ReadScope): SqlWhere {
  if (scope.teamId) where.add('team_id = ?', scope.teamId);
  if (scope.sessionId) where.add('session_id = ?', scope.sessionId);
  return where;
}

/**
 * A page of GET /sessions, newest activity first, with one row more than the limit. The
 * walk goes down sessions_last_activity_idx (sessions_open_idx for open ones, the project's
 * own index for a project) and stops once the page is full: a filter without an index of
 * its own (git_branch, model, has_failures, a team) costs the sessions it skips, and `from`
 * bounds that walk, since a session's last activity is never before its start.
 */
export function sessionListQuery(d: SqlDialect, filter: SessionFilter, scope: ReadScope): Query {
  const where = new SqlWhere();
  if (filter.status) where.add(STATUS_SQL[filter.status]);
  where.eq('project', filter.project).eq('source', filter.source).eq('git_branch', filter.gitBranch).eq('model', filter.model);
  if (filter.from !== undefined) {
    where.add(`started_at >= ${d.timeParam()}`, filter.from);
    where.add(`last_activity_at >= ${d.timeParam()}`, filter.from);
  }
  if (filter.to !== undefined) where.add(`started_at < ${d.timeParam()}`, filter.to);
  if (filter.hasFailures !== undefined) where.add(filter.hasFailures ? 'tools_failed > 0' : 'tools_failed = 0');
  narrowed(where, scope);
  if (filter.after) {
    // The bound alone first, so the walk starts at the cursor instead of filtering up to it.
    const { lastActivityAt: at, sessionId } = filter.after;
    where.add(`last_activity_at <= ${d.timeParam()}`, at);
    where.add(`(last_activity_at < ${d.timeParam()} OR session_id < ?)`, at, sessionId);
  }
  return {
    text: `SELECT * FROM sessions ${where} ORDER BY last_activity_at DESC, session_id DESC LIMIT ?`,
    values: [...where.values, filter.limit + 1],
  };
}

/**
 * Open sessions by status (sessions_open_idx: the stale sweep keeps them few) and sessions
 * ended at or after `endedSince` (a range of sessions_ended_idx, which holds the team too).
 */
export function sessionCountsQuery(d: SqlDialect, endedSince: number, scope: ReadScope): Query {
  const active = narrowed(new SqlWhere().add(STATUS_SQL.active), scope);
  const idle = narrowed(new SqlWhere().add(STATUS_SQL.idle), scope);
  const ended = narrowed(new SqlWhere().add(`ended_at >= ${d.timeParam()}`, endedSince), scope);
  return {
    text: `SELECT (SELECT count(*) FROM sessions ${active}) AS active,
                  (SELECT count(*) FROM sessions ${idle}) AS idle,
                  (SELECT count(*) FROM sessions ${ended}) AS ended`,
    values: [...active.values, ...idle.values, ...ended.values],
  };
}

/**
 * A session's counted token usage per prompt and model (token_usage, the derivation's
 * `counted` rows), the session's team binding applied through sessions.
 */
export function promptUsageQuery(sessionId: string, scope: ReadScope): Query {
  const where = new SqlWhere().add('u.session_id = ?', sessionId).add('u.counted = 1');
  if (scope.teamId) where.add('s.team_id = ?', scope.teamId);
  return {
    text: `SELECT u.prompt_id, u.model, min(u.ts) AS first_at, count(*) AS requests,
                  sum(u.input_tokens) AS input_tokens, sum(u.output_tokens) AS output_tokens,
                  sum(u.cache_read_tokens) AS cache_read_tokens, sum(u.cache_creation_tokens) AS cache_creation_tokens,
                  COALESCE(sum(u.cost_usd), 0) AS cost_usd,
                  sum(CASE WHEN u.cost_usd IS NULL
                           THEN u.input_tokens + u.output_tokens + u.cache_read_tokens + u.cache_creation_tokens ELSE 0 END) AS unpriced_tokens
             FROM token_usage u JOIN sessions s ON s.session_id = u.session_id
            ${where}
            GROUP BY u.prompt_id, u.model
            ORDER BY min(u.ts), u.prompt_id, u.model`,
    values: where.values,
  };
}

/** The tasks a session worked on, the session's team binding applied through sessions. */
export function sessionTasksQuery(sessionId: string, scope: ReadScope): Query {
  const where = new SqlWhere().add('t.session_id = ?', sessionId);
  if (scope.teamId) where.add('s.team_id = ?', scope.teamId);
  return {
    text: `SELECT t.task_id, t.first_at, t.last_at, t.events
             FROM session_tasks t JOIN sessions s ON s.session_id = t.session_id
            ${where}
            ORDER BY t.first_at, t.task_id`,
    values: where.values,
  };
}
