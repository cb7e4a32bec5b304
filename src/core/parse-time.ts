import { ValidationError } from './app-error.ts';

// Year 9999: past it neither JavaScript dates nor PostgreSQL's bigint milliseconds and
// intervals from the epoch hold, so a filter beyond it is refused, not passed to a query.
export const LATEST_MS = 253_402_300_799_999;

/** ISO-8601 or epoch milliseconds, as in events, between 1970 and the year 9999. */
export function parseTime(value: string, field: string): number {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) throw new ValidationError([{ field, message: 'must be ISO-8601 or epoch milliseconds' }]);
  if (ms < 0 || ms > LATEST_MS) throw new ValidationError([{ field, message: 'must be between 1970 and the year 9999' }]);
  return ms;
}
