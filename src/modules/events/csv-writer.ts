import type { CanonicalEvent } from './event.ts';

/** The canonical event's fields, in the order JSONL writes them. */
export const CSV_COLUMNS = [
  'event_id',
  'session_id',
  'event_type',
  'timestamp',
  'received_at',
  'source',
  'workflow_id',
  'phase_id',
  'milestone_id',
  'team_id',
  'task_id',
  'user',
  'host',
  'data',
] as const satisfies readonly (keyof CanonicalEvent)[];

// RFC 4180 records end in CRLF; the same line end inside a quoted cell stays as it is.
const EOL = '\r\n';
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One cell per RFC 4180: quoted only when it holds a comma, quote or line break, with
 * quotes doubled. Null is an empty cell, so it differs from nothing but the empty string.
 */
export function csvCell(value: string | null): string {
  if (value === null) return '';
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvRow(values: readonly (string | null)[]): string {
  return values.map(csvCell).join(',') + EOL;
}

export function csvHeader(): string {
  return csvRow(CSV_COLUMNS);
}

/** One event as one record; `data` is its JSON text, so spreadsheets keep it in one cell. */
export function csvRecord(event: CanonicalEvent): string {
  return csvRow(CSV_COLUMNS.map((column) => (column === 'data' ? JSON.stringify(event.data) : event[column])));
}
