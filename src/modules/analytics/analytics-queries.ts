import type { Query, SqlDialect } from '../../db/sql-dialect.ts';
import { BIN_COLUMNS } from '../derivation/duration-bins.ts';
import type { AnalyticsFilter } from './analytics.ts';

/** Rollup rows cover whole hours (UTC) of the calls' start: a range widens to the hours it touches. */
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export function hourRange(filter: AnalyticsFilter): { from: number | undefined; to: number | undefined } {
  return {
    from: filter.from === undefined ? undefined : Math.floor(filter.from / HOUR) * HOUR,
    to: filter.to === undefined ? undefined : Math.ceil(filter.to / HOUR) * HOUR,
  };
}

/**
 * The rollup grain that answers `filter`: 'all' without source/project/team, that
 * dimension's own grain with one, 'full' (rows per source x project x team) with more.
 */
function grainWhere(filter: AnalyticsFilter, d: SqlDialect, values: unknown[]): string[] {
  const dims: [string, string | undefined][] = [
    ['source', filter.source],
    ['project', filter.project],
    ['team_id', filter.teamId],
  ];
  const given = dims.filter(([, v]) => v !== undefined);
  const where: string[] = [];
  // The dimensions a grain leaves out are '' in its rows: saying so lets the primary key
  // (grain, span, source, project, team_id, bucket, ...) reach the bucket range.
  const blank = (except: string | null) => dims.filter(([c]) => c !== except).map(([c]) => `${c} = ''`);
  if (given.length === 0) where.push(`grain = 'all'`, ...blank(null));
  else if (given.length === 1) {
    const [column, value] = given[0]!;
    where.push(`grain = '${column === 'team_id' ? 'team' : column}'`, `${column} = ?`, ...blank(column));
    values.push(value);
  } else {
    where.push(`grain = 'full'`);
    for (const [column, value] of given) {
      where.push(`${column} = ?`);
      values.push(value);
    }
  }
  where.push(spanWhere(filter, d, values));
  return where;
}

export interface SpanRange {
  span: 'hour' | 'day';
  /** Bucket bounds, [from, to); undefined: open. */
  from: number | undefined;
  to: number | undefined;
}

/**
 * Which rows cover the filter's range exactly once: day rows for the whole UTC days in it,
 * hour rows for the hours before the first and after the last whole day. Without a range,
 * day rows alone (all time); a range inside one day, hour rows alone.
 */
export function spanRanges(filter: AnalyticsFilter): SpanRange[] {
  const { from, to } = hourRange(filter);
  const dayFrom = from === undefined ? undefined : Math.ceil(from / DAY) * DAY;
  const dayTo = to === undefined ? undefined : Math.floor(to / DAY) * DAY;
  if (dayFrom !== undefined && dayTo !== undefined && dayFrom >= dayTo) return [{ span: 'hour', from, to }];
  const ranges: SpanRange[] = [{ span: 'day', from: dayFrom, to: dayTo }];
  if (from !== undefined && from < dayFrom!) ranges.push({ span: 'hour', from, to: dayFrom });
  if (to !== undefined && dayTo! < to) ranges.push({ span: 'hour', from: dayTo, to });
  return ranges;
}

function spanWhere(filter: AnalyticsFilter, d: SqlDialect, values: unknown[]): string {
  const ors = spanRanges(filter).map((r) => {
    const parts = [`span = '${r.span}'`];
    if (r.from !== undefined) {
      parts.push(`bucket >= ${d.timeParam()}`);
      values.push(r.from);
    }
    if (r.to !== undefined) {
      parts.push(`bucket < ${d.timeParam()}`);
      values.push(r.to);
    }
    return `(${parts.join(' AND ')})`;
  });
  return ors.length === 1 ? ors[0]! : `(${ors.join(' OR ')})`;
}

const SUMS = ['succeeded', 'failed', 'timed', 'duration_sum_ms', ...BIN_COLUMNS].map((c) => `sum(${c}) AS ${c}`).join(', ');

/** Rollups summed per `key` (tool_name, subagent_type or bucket). */
export function rollupTotalsQuery(
  d: SqlDialect,
  filter: AnalyticsFilter,
  key: 'tool_name' | 'subagent_type' | 'bucket',
  only: { toolName?: string; subagents?: boolean } = {},
): Query {
  const values: unknown[] = [];
  const where = grainWhere(filter, d, values);
  if (only.toolName !== undefined) {
    where.push('tool_name = ?');
    values.push(only.toolName);
  }
  if (only.subagents) where.push(`subagent_type <> ''`);
  const keyOut = key === 'bucket' ? d.msFrom('bucket') : key;
  return {
    text: `SELECT ${keyOut} AS key, ${SUMS} FROM tool_rollups WHERE ${where.join(' AND ')}
            GROUP BY ${key} HAVING sum(succeeded) + sum(failed) > 0`,
    values,
  };
}

/** Failures per tool and error class. */
export function errorTotalsQuery(d: SqlDialect, filter: AnalyticsFilter, toolName?: string): Query {
  const values: unknown[] = [];
  const where = grainWhere(filter, d, values);
  if (toolName !== undefined) {
    where.push('tool_name = ?');
    values.push(toolName);
  }
  return {
    text: `SELECT tool_name, error, sum(failures) AS failures FROM tool_error_rollups WHERE ${where.join(' AND ')}
            GROUP BY tool_name, error HAVING sum(failures) > 0`,
    values,
  };
}

/** Sessions filtered by start time and source/project/team, on session_intelligence_summary. */
function sessionWhere(d: SqlDialect, filter: AnalyticsFilter, values: unknown[]): string[] {
  const where: string[] = [];
  const add = (sql: string, value: unknown) => {
    where.push(sql);
    values.push(value);
  };
  if (filter.from !== undefined) add(`session_start >= ${d.timeParam()}`, filter.from);
  if (filter.to !== undefined) add(`session_start < ${d.timeParam()}`, filter.to);
  if (filter.source !== undefined) add('source = ?', filter.source);
  if (filter.project !== undefined) add('project = ?', filter.project);
  if (filter.teamId !== undefined) add('team_id = ?', filter.teamId);
  return where;
}

const whereClause = (where: string[]) => (where.length ? `WHERE ${where.join(' AND ')}` : '');

export interface SessionPage {
  limit: number;
  pattern?: string;
  after?: { start: number; sessionId: string };
}

/**
 * The summary's columns and what the session cost, read from its sessions row by key: the
 * view predates the cost columns, and other views depend on it.
 */
const SUMMARY_COLUMNS = `v.*, ${[
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_creation_tokens',
  'cost_usd',
  'unpriced_tokens',
]
  .map((c) => `(SELECT s.${c} FROM sessions s WHERE s.session_id = v.session_id) AS ${c}`)
  .join(', ')}`;

export function sessionListQuery(d: SqlDialect, filter: AnalyticsFilter, page: SessionPage): Query {
  const values: unknown[] = [];
  const where = sessionWhere(d, filter, values);
  if (page.pattern !== undefined) {
    where.push('workflow_pattern = ?');
    values.push(page.pattern);
  }
  if (page.after) {
    where.push(`(session_start < ${d.timeParam()} OR (session_start = ${d.timeParam()} AND session_id < ?))`);
    values.push(page.after.start, page.after.start, page.after.sessionId);
  }
  values.push(page.limit + 1);
  return {
    text: `SELECT ${SUMMARY_COLUMNS} FROM session_intelligence_summary v ${whereClause(where)} ORDER BY session_start DESC, session_id DESC LIMIT ?`,
    values,
  };
}

export function sessionQuery(): Query {
  return { text: `SELECT ${SUMMARY_COLUMNS} FROM session_intelligence_summary v WHERE v.session_id = ?`, values: [] };
}

export function sessionToolsQuery(): Query {
  return {
    text: `SELECT tool_name, count(*) AS uses,
                  sum(CASE WHEN status = 'succeeded' THEN 1 ELSE 0 END) AS successful_uses,
                  sum(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS failed_uses,
                  count(duration_ms) AS timed, sum(duration_ms) AS duration_sum_ms
             FROM tool_uses WHERE session_id = ? GROUP BY tool_name ORDER BY count(*) DESC, tool_name`,
    values: [],
  };
}

/**
 * The session_rollups / subagent_session_rollups rows that answer `filter`. Their rows
 * keep the source at every grain; the grain is picked by project and team alone.
 */
function sessionRollupWhere(filter: AnalyticsFilter, d: SqlDialect, values: unknown[]): string[] {
  const grain =
    filter.project !== undefined ? (filter.teamId !== undefined ? 'full' : 'project') : filter.teamId !== undefined ? 'team' : 'all';
  const where = [`grain = '${grain}'`];
  // The dimensions a grain leaves out are '' in its rows: saying so lets the primary key
  // (grain, span, project, team_id, bucket, ...) reach the bucket range.
  where.push(filter.project !== undefined ? 'project = ?' : `project = ''`);
  if (filter.project !== undefined) values.push(filter.project);
  where.push(filter.teamId !== undefined ? 'team_id = ?' : `team_id = ''`);
  if (filter.teamId !== undefined) values.push(filter.teamId);
  where.push(spanWhere(filter, d, values));
  if (filter.source !== undefined) {
    where.push('source = ?');
    values.push(filter.source);
  }
  return where;
}

/** Sessions per workflow pattern, by the hours or days of their start. */
export function patternQuery(d: SqlDialect, filter: AnalyticsFilter): Query {
  const values: unknown[] = [];
  const where = sessionRollupWhere(filter, d, values);
  return {
    text: `SELECT workflow_pattern, sum(sessions) AS sessions FROM session_rollups WHERE ${where.join(' AND ')}
            GROUP BY workflow_pattern HAVING sum(sessions) > 0`,
    values,
  };
}

/**
 * Sessions per source and score. Scores are integers 0-100, so this is at most 101 rows per
 * source, and the exact nearest-rank percentiles follow from it (scoreDistributions) with
 * no sort of the sessions themselves.
 */
export function scoreCountsQuery(d: SqlDialect, filter: AnalyticsFilter): Query {
  const values: unknown[] = [];
  const where = sessionRollupWhere(filter, d, values);
  return {
    text: `SELECT source, success_score, sum(sessions) AS sessions FROM session_rollups WHERE ${where.join(' AND ')}
            GROUP BY source, success_score HAVING sum(sessions) > 0`,
    values,
  };
}

/** Sessions per subagent type they completed Task calls of, by the hours or days of their start. */
export function agentSessionsQuery(d: SqlDialect, filter: AnalyticsFilter): Query {
  const values: unknown[] = [];
  const where = sessionRollupWhere(filter, d, values);
  return {
    text: `SELECT subagent_type AS key, sum(sessions) AS sessions FROM subagent_session_rollups WHERE ${where.join(' AND ')}
            GROUP BY subagent_type HAVING sum(sessions) > 0`,
    values,
  };
}
