/**
 * hookd passes times to PostgreSQL as epoch milliseconds (int8), as SQLite stores them;
 * this turns such an expression into a timestamptz inside SQL, in one spelling everywhere.
 */
export function timestamptzFromMs(expr: string): string {
  return `(timestamptz 'epoch' + ${expr} * interval '1 millisecond')`;
}

/** The inverse, for reading a timestamptz back as epoch milliseconds (int8). */
export function msFromTimestamptz(expr: string): string {
  return `(extract(epoch FROM ${expr}) * 1000)::int8`;
}
