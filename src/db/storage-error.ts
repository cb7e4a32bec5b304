import { AppError, UnavailableError } from '../core/app-error.ts';

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  '57P01',
  '57P02',
  '57P03', // admin/crash shutdown, cannot connect now
  '53300', // too many connections
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
]);

/** True when the storage is unreachable or busy, as opposed to refusing the data. */
export function isUnavailable(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | null;
  if (!e) return false;
  if (e.code && (UNAVAILABLE_CODES.has(e.code) || e.code.startsWith('08'))) return true;
  const message = e.message ?? '';
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connect ECONNREFUSED/i.test(
    message,
  );
}

/**
 * Storage failures as the API shows them: an outage becomes 503 + Retry-After; anything
 * else a 500 whose message never carries the driver's text (it may quote data or URLs).
 */
export function toStorageError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (isUnavailable(error)) {
    // Named, since it says what to look for (another process holding the file); it quotes nothing.
    const locked = /^SQLITE_(BUSY|LOCKED)/.test((error as { code?: string }).code ?? '');
    return new UnavailableError(
      'storage_unavailable',
      locked ? 'the database is locked by another writer; retry shortly' : 'storage is unavailable; retry shortly',
      2,
    );
  }
  return new AppError('storage_error', 'the events could not be stored', 500);
}
