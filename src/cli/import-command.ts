import { createHash } from 'node:crypto';
import { AppError, ValidationError } from '../core/app-error.ts';
import { progressEnabled, ProgressBar } from '../core/progress-bar.ts';
import type { NormalizedEvent } from '../modules/events/event.ts';
import { parseTime } from '../core/parse-time.ts';
import type { IngestService } from '../modules/events/ingest-service.ts';
import { openJsonlFile } from '../modules/events/jsonl-reader.ts';
import { openAnyRuntime } from '../runtime/runtime.ts';
import { cliConfig, type GlobalOptions } from './cli-config.ts';

export interface ImportOptions {
  batch: number;
}

export interface ImportSummary {
  imported: number;
  duplicates: number;
  invalid: number;
  torn: number;
}

const READ_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'it is a directory',
};

/** Beyond this many, invalid lines are counted but not each printed. */
const MAX_REPORTED = 100;

/**
 * Imports canonical JSONL (what `hookd export` and the jsonl storage write; plain wire
 * events too) through the one ingest path, so validation and idempotency are the HTTP
 * API's. Bad lines are reported and skipped: one damaged line should not cost the rest.
 */
export async function importCommand(globals: GlobalOptions, path: string, options: ImportOptions): Promise<void> {
  const config = cliConfig(globals);
  const showProgress = progressEnabled(process.stderr, process.env);
  const progress = new ProgressBar({ label: 'importing', unit: 'bytes', stream: process.stderr, enabled: showProgress });
  // Opened before the storage, so a missing file fails fast and touches nothing.
  const file = await openJsonlFile(path, { onBytes: (n) => progress.add(n) }).catch((error: { code?: string; message?: string }) => {
    throw new AppError('unreadable_file', `cannot read ${path}: ${READ_ERRORS[error.code ?? ''] ?? error.message}`, 400);
  });
  progress.setTotal(file.size);
  const { services } = await openAnyRuntime(config, { applicationName: 'hookd-import' }).catch((error: unknown) => {
    file.close();
    throw error;
  });
  const summary: ImportSummary = { imported: 0, duplicates: 0, invalid: 0, torn: 0 };
  const report = (text: string) => {
    progress.clear();
    process.stderr.write(`hookd: ${path}: ${text}\n`);
  };
  try {
    let batch: NormalizedEvent[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const result = await services.ingest.store(batch);
      summary.imported += result.accepted - result.duplicates;
      summary.duplicates += result.duplicates;
      batch = [];
    };
    for await (const item of file.items) {
      if (item.kind === 'torn') {
        summary.torn++;
        report(`line ${item.line}: skipped: ${item.problem}`);
        continue;
      }
      const event = item.kind === 'invalid' ? item.problem : validate(services.ingest, item.value, item.text, item.line);
      if (typeof event === 'string') {
        summary.invalid++;
        if (summary.invalid <= MAX_REPORTED) report(`line ${item.line}: ${event}`);
        continue;
      }
      batch.push(event);
      if (batch.length >= options.batch) await flush();
    }
    await flush();
    progress.finish();
  } catch (error) {
    progress.clear();
    if (summary.imported + summary.duplicates > 0) {
      process.stderr.write(
        `hookd: stopped after storing ${summary.imported} new events; importing the file again is safe: stored events are skipped\n`,
      );
    }
    throw error;
  } finally {
    file.close();
    await services.close();
  }

  if (summary.invalid > MAX_REPORTED) {
    process.stderr.write(`hookd: ${path}: ${summary.invalid - MAX_REPORTED} more invalid lines not listed\n`);
  }
  process.stdout.write(
    `imported ${summary.imported} events (${summary.duplicates} duplicates, ${summary.invalid} invalid lines skipped)\n`,
  );
  if (summary.invalid > 0 && summary.imported + summary.duplicates === 0) {
    throw new AppError('nothing_imported', `every line of ${path} was invalid; is it JSONL with one event per line?`, 400);
  }
}

/**
 * One line to a stored-ready event, or the reason it is not one. The line's
 * `received_at` is kept, so an export imported elsewhere exports identically again.
 */
function validate(ingest: IngestService, value: unknown, text: string, line: number): NormalizedEvent | string {
  let receivedAt = Date.now();
  let raw = value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    if (record.received_at !== undefined && record.received_at !== null) {
      const at = receivedAtOf(record.received_at, receivedAt);
      if (typeof at === 'string') return `received_at: ${at}`;
      receivedAt = at;
    }
    // A wire event without an id would get a new random one on every run; an id derived
    // from the line's place and text makes re-importing the same file a no-op.
    if (record.event_id === undefined || record.event_id === null) raw = { ...record, event_id: derivedEventId(line, text) };
  }
  try {
    return ingest.validateOne(raw, receivedAt);
  } catch (error) {
    if (error instanceof ValidationError) {
      return error.problems.map((p) => (p.field && p.field !== '(body)' ? `${p.field}: ${p.message}` : p.message)).join('; ');
    }
    if (error instanceof AppError) return error.message;
    throw error;
  }
}

function receivedAtOf(value: unknown, now: number): number | string {
  let ms = NaN;
  try {
    ms = typeof value === 'number' ? value : typeof value === 'string' ? parseTime(value, 'received_at') : NaN;
  } catch {
    // Reported below like any other unreadable time.
  }
  if (!Number.isFinite(ms) || ms < 0) return 'must be an ISO-8601 date-time or epoch milliseconds';
  // Nothing can have been received in the future; such a line was not written by hookd.
  if (ms > now + 60_000) return 'is in the future';
  return Math.trunc(ms);
}

/** A UUID-shaped (version 8, "custom") id from a hash, so it looks like any other id. */
export function derivedEventId(line: number, text: string): string {
  const hex = createHash('sha256').update(`${line}\n${text}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
