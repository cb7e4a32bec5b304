/**
 * hookd passes times to PostgreSQL as epoch milliseconds (int8), as SQLite stores them;
 * this turns such an expression into a timestamptz inside SQL, in one spelling everywhere.
 */
export function timestamptzFromMs(expr: string): string {
  return `(timestamptz 'epoch' + ${expr} * interval '1 millisecond')`;
}
