import type { Query, SqlDialect } from '../../db/sql-dialect.ts';
import type { CostFilter, CostGrouping } from './cost-figures.ts';

const DAY_MS = 86_400_000;

/**
 * Each grouping's key over `token_usage u` and, where it needs one, `sessions s`. A day is
 * integer arithmetic on the row's epoch ms, so it is the UTC date on both dialects.
 */
function keyOf(d: SqlDialect, groupBy: CostGrouping): string {
  switch (groupBy) {
    case 'day':
      return `(${d.msFrom('u.ts')} / ${DAY_MS}) * ${DAY_MS}`;
    case 'model':
      return 'u.model';
    case 'project':
      return 's.project';
    case 'team':
      return 's.team_id';
    case 'source':
      return 's.source';
    case 'session':
      return 'u.session_id';
  }
}

// Only rows that count (usage-sql.ts): a prompt reported both by its transcript and by
// telemetry, or metric windows beside per-request rows, would count the same tokens twice.
const FIGURES = `
  COALESCE(sum(u.input_tokens), 0) AS input_tokens,
  COALESCE(sum(u.output_tokens), 0) AS output_tokens,
  COALESCE(sum(u.cache_read_tokens), 0) AS cache_read_tokens,
  COALESCE(sum(u.cache_creation_tokens), 0) AS cache_creation_tokens,
  COALESCE(sum(u.cost_usd), 0) AS cost_usd,
  COALESCE(sum(CASE WHEN u.cost_usd IS NULL
                    THEN u.input_tokens + u.output_tokens + u.cache_read_tokens + u.cache_creation_tokens ELSE 0 END), 0) AS unpriced_tokens,
  count(*) AS requests,
  count(DISTINCT u.session_id) AS sessions`;

/**
 * The rows a filter selects. `counted = 1` spelled as the partial index on (ts) is, so a
 * time range reads that index; a session binding reads the primary key. Sessions are
 * joined only for what lives on them (source, project, team).
 */
function fromWhere(d: SqlDialect, filter: CostFilter, groupBy: CostGrouping | null, values: unknown[]): string {
  const where = ['u.counted = 1'];
  const add = (sql: string, value: unknown) => {
    where.push(sql);
    values.push(value);
  };
  if (filter.sessionId !== undefined) add('u.session_id = ?', filter.sessionId);
  if (filter.from !== undefined) add(`u.ts >= ${d.timeParam()}`, filter.from);
  if (filter.to !== undefined) add(`u.ts < ${d.timeParam()}`, filter.to);
  if (filter.model !== undefined) add('u.model = ?', filter.model);
  if (filter.source !== undefined) add('s.source = ?', filter.source);
  if (filter.project !== undefined) add('s.project = ?', filter.project);
  if (filter.teamId !== undefined) add('s.team_id = ?', filter.teamId);
  const join =
    filter.source !== undefined ||
    filter.project !== undefined ||
    filter.teamId !== undefined ||
    groupBy === 'source' ||
    groupBy === 'project' ||
    groupBy === 'team';
  return `FROM token_usage u${join ? ' JOIN sessions s ON s.session_id = u.session_id' : ''} WHERE ${where.join(' AND ')}`;
}

/**
 * Figures per group: days oldest first, every day with counted rows; other groupings by
 * cost, biggest first, then by key (rows without one last), `limit` of them.
 */
export function costGroupsQuery(d: SqlDialect, filter: CostFilter, groupBy: CostGrouping, limit: number): Query {
  const values: unknown[] = [];
  const key = keyOf(d, groupBy);
  const rows = fromWhere(d, filter, groupBy, values);
  if (groupBy === 'day') {
    return { text: `SELECT ${key} AS key, ${FIGURES} ${rows} GROUP BY ${key} ORDER BY ${key}`, values };
  }
  values.push(limit);
  return {
    text: `SELECT ${key} AS key, ${FIGURES} ${rows} GROUP BY ${key}
            ORDER BY COALESCE(sum(u.cost_usd), 0) DESC, CASE WHEN ${key} IS NULL THEN 1 ELSE 0 END, ${key} LIMIT ?`,
    values,
  };
}

/** The same figures over the whole selection. */
export function costTotalsQuery(d: SqlDialect, filter: CostFilter): Query {
  const values: unknown[] = [];
  return { text: `SELECT ${FIGURES} ${fromWhere(d, filter, null, values)}`, values };
}

/** Every counted row's tokens and cost per model, in one pass: what a Prometheus scrape reads. */
export function usageByModelQuery(): Query {
  return {
    text: `SELECT model,
                  sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
                  sum(cache_read_tokens) AS cache_read_tokens, sum(cache_creation_tokens) AS cache_creation_tokens,
                  COALESCE(sum(cost_usd), 0) AS cost_usd
             FROM token_usage WHERE counted = 1 GROUP BY model`,
    values: [],
  };
}
