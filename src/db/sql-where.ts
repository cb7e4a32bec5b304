/**
 * A WHERE clause built from optional filters, with `?` placeholders in the order of their
 * values (PostgreSQL stores number them with numberedPlaceholders).
 */
export class SqlWhere {
  private readonly clauses: string[] = [];
  readonly values: unknown[] = [];

  /** `column = ?`, only when the filter is given. */
  eq(column: string, value: string | undefined): this {
    if (value !== undefined) this.add(`${column} = ?`, value);
    return this;
  }

  /** Any condition; `values` fill its placeholders in order. */
  add(clause: string, ...values: unknown[]): this {
    this.clauses.push(clause);
    this.values.push(...values);
    return this;
  }

  /** `WHERE a AND b`, or nothing without conditions. */
  toString(): string {
    return this.clauses.length ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }
}
