import { numberedPlaceholders } from './numbered-placeholders.ts';

/** A statement written with `?` placeholders, and its parameters in their order. */
export interface Query {
  text: string;
  values: unknown[];
}

/**
 * What differs between SQLite and PostgreSQL in SQL written once for both, and the time
 * conversions of the PostgreSQL-only statements, in one spelling everywhere.
 *
 * Times travel as epoch milliseconds on both: SQLite stores them so (integer columns),
 * PostgreSQL in timestamptz columns, converted inside the statement. So JavaScript, both
 * databases and the API agree on every value, and no session TimeZone enters a result.
 * Upserts need nothing here: both spell ON CONFLICT ... DO UPDATE SET c = excluded.c alike.
 */
export interface SqlDialect {
  /** Statement text written with `?` placeholders, as this dialect's driver takes it (no `?` of its own allowed). */
  placeholders(text: string): string;
  /** A parameter holding epoch ms (`?`, `$4`) as a time, to compare with a time column or store in one. */
  timeParam(param?: string): string;
  /** An epoch-ms expression already typed as an integer (a column, an unnest of int8[]) as a time. */
  timeFromMs(expr: string): string;
  /** A time expression as epoch ms (int8). */
  msFrom(expr: string): string;
  /** A time column (`started_at`, `t.started_at`) as epoch ms under its own name, for SELECT and RETURNING lists. */
  msColumn(column: string): string;
  /** Milliseconds from the time `start` to the time `end`, as an integer (int4) expression. */
  elapsedMs(end: string, start: string): string;
  /** The UTC hour a time expression falls in, in the expression's own type. */
  hour(expr: string): string;
  /** Smaller / larger of two non-null values. */
  least(a: string, b: string): string;
  greatest(a: string, b: string): string;
  /** Larger of two values either of which may be null (null only when both are). */
  greatestOfNullable(a: string, b: string): string;
  /** Smaller of two values either of which may be null (null only when both are). */
  leastOfNullable(a: string, b: string): string;
  /** Either flag set (SQLite keeps flags as 0/1, PostgreSQL as booleans). */
  either(a: string, b: string): string;
  /** True when the two values differ, NULL counting as a value. */
  differs(a: string, b: string): string;
  /** A flag column is set, written as a partial index on it is (so SQLite uses the index). */
  isSet(column: string): string;
  /** A floating-point expression rounded to 3 decimals. */
  round3(expr: string): string;
}

const HOUR_MS = 3_600_000;
const columnName = (column: string) => column.slice(column.lastIndexOf('.') + 1);

/** Times are integer epoch ms columns, flags 0/1; the two-argument min()/max() are null when either side is. */
export const SQLITE_DIALECT: SqlDialect = {
  placeholders: (text) => text,
  timeParam: (param = '?') => param,
  timeFromMs: (expr) => expr,
  msFrom: (expr) => expr,
  msColumn: (column) => column,
  elapsedMs: (end, start) => `(${end} - ${start})`,
  // An hour is integer arithmetic on the column itself.
  hour: (expr) => `(${expr} / ${HOUR_MS}) * ${HOUR_MS}`,
  least: (a, b) => `min(${a}, ${b})`,
  greatest: (a, b) => `max(${a}, ${b})`,
  greatestOfNullable: (a, b) => `COALESCE(max(${a}, ${b}), ${a}, ${b})`,
  leastOfNullable: (a, b) => `COALESCE(min(${a}, ${b}), ${a}, ${b})`,
  either: (a, b) => `max(${a}, ${b})`,
  differs: (a, b) => `${a} IS NOT ${b}`,
  isSet: (column) => `${column} = 1`,
  round3: (expr) => `round(${expr}, 3)`,
};

const timestamptzFromMs = (expr: string) => `(timestamptz 'epoch' + ${expr} * interval '1 millisecond')`;
// extract() of a timestamptz or an interval is in seconds, with the microseconds as decimals.
const epochMs = (expr: string, type: 'int4' | 'int8') => `(extract(epoch FROM ${expr}) * 1000)::${type}`;

/** Times are timestamptz columns, flags booleans; GREATEST/LEAST skip nulls. */
export const POSTGRES_DIALECT: SqlDialect = {
  placeholders: numberedPlaceholders,
  // A parameter has no type of its own in this expression: int8, as epoch ms are.
  timeParam: (param = '?') => timestamptzFromMs(`${param}::int8`),
  timeFromMs: timestamptzFromMs,
  msFrom: (expr) => epochMs(expr, 'int8'),
  msColumn: (column) => `${epochMs(column, 'int8')} AS ${columnName(column)}`,
  elapsedMs: (end, start) => epochMs(`${end} - ${start}`, 'int4'),
  // The zone named, so the bucket is the UTC hour whatever the session's TimeZone.
  hour: (expr) => `date_trunc('hour', ${expr}, 'UTC')`,
  least: (a, b) => `LEAST(${a}, ${b})`,
  greatest: (a, b) => `GREATEST(${a}, ${b})`,
  greatestOfNullable: (a, b) => `GREATEST(${a}, ${b})`,
  leastOfNullable: (a, b) => `LEAST(${a}, ${b})`,
  either: (a, b) => `${a} OR ${b}`,
  differs: (a, b) => `${a} IS DISTINCT FROM ${b}`,
  isSet: (column) => column,
  round3: (expr) => `round((${expr})::numeric, 3)::float8`,
};
