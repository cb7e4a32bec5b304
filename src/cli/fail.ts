import { AppError } from '../core/app-error.ts';

/** Prints an error for a person and exits non-zero; never a stack trace for expected failures. */
export function fail(error: unknown): never {
  if (error instanceof AppError) {
    process.stderr.write(`hookd: ${error.message}\n`);
  } else {
    const e = error as { code?: string; message?: string };
    const message = e?.message ?? String(error);
    process.stderr.write(`hookd: ${message}${e?.code ? ` (${e.code})` : ''}\n`);
  }
  process.exit(1);
}
