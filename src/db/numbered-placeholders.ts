/**
 * SQL written once with `?` placeholders (SQLite's) as PostgreSQL's $1, $2 ...; for
 * queries shared by both dialects, which must have no `?` of their own.
 */
export function numberedPlaceholders(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}
