import { open } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { progressEnabled, ProgressBar } from '../core/progress-bar.ts';
import { csvHeader, csvRecord } from '../modules/events/csv-writer.ts';
import type { CanonicalEvent } from '../modules/events/event.ts';
import { filterFromQuery, MAX_PAGE } from '../modules/events/event-query-service.ts';
import { jsonlLine } from '../modules/events/event-log-jsonl.ts';
import type { EventFilter, EventPosition } from '../modules/events/event-store.ts';
import { openRuntime } from '../runtime/runtime.ts';
import { readConfig, type GlobalOptions } from './cli-config.ts';
import { eventQueryOf, type EventFilterOptions } from './events-command.ts';
import { writeChunk } from './output.ts';

export type ExportFormat = 'jsonl' | 'csv';

export interface ExportOptions extends EventFilterOptions {
  format: ExportFormat;
  output?: string;
}

/**
 * Streams every matching event, oldest first, one page at a time: memory stays flat
 * however large the store. JSONL output is byte for byte what `hookd import` reads and
 * the jsonl storage writes, so export -> import -> export reproduces the file.
 */
export async function exportCommand(globals: GlobalOptions, options: ExportOptions): Promise<void> {
  const filter = filterOf(options);
  const { services } = await openRuntime(readConfig(globals), { applicationName: 'hookd-export' }, 'exporting events');
  const showProgress = progressEnabled(process.stderr, process.env);
  const progress = new ProgressBar({ label: 'exporting', unit: 'events', stream: process.stderr, enabled: showProgress });
  let out: Writable = process.stdout;
  let written = 0;
  let outputError: Error | null = null;
  const onError = (error: Error) => {
    outputError ??= error;
  };
  try {
    // Opened first so a bad path is a plain error here, not a stream event mid-export.
    if (options.output) out = (await open(options.output, 'w', 0o600)).createWriteStream();
    // Write errors arrive as events, possibly after write() returned; keep the first.
    out.on('error', onError);
    const store = services.stores.events;
    // Counting a big PostgreSQL table is a scan: only for a person watching the bar.
    if (showProgress && isUnfiltered(filter)) progress.setTotal(await store.count());
    const line = options.format === 'csv' ? csvRecord : canonicalLine;
    if (options.format === 'csv') await writeChunk(out, csvHeader());
    let after: EventPosition | null = null;
    do {
      const page = await store.query(after ? { ...filter, after } : filter);
      if (page.items.length > 0) {
        let text = '';
        for (const event of page.items) text += line(event);
        await writeChunk(out, text);
        if (outputError) throw outputError;
        written += page.items.length;
        progress.update(written);
      }
      after = page.next;
    } while (after);
    progress.finish();
    if (out !== process.stdout) {
      out.end();
      await finished(out);
    }
  } catch (error) {
    progress.clear();
    if (out !== process.stdout) out.destroy();
    // A reader that went away (`hookd export | head`) wanted no more: not a failure.
    if (out === process.stdout && (error as { code?: string }).code === 'EPIPE') return;
    throw error;
  } finally {
    out.off('error', onError);
    await services.close();
  }
  if (options.output) process.stderr.write(`hookd: exported ${written} events to ${options.output}\n`);
}

function isUnfiltered(filter: EventFilter): boolean {
  return Object.keys(filter).every((key) => key === 'limit' || key === 'order');
}

function filterOf(options: ExportOptions): EventFilter {
  return { ...filterFromQuery({ ...eventQueryOf(options), limit: MAX_PAGE }), order: 'asc' };
}

/** A stored event in the canonical JSONL format, through the one function that defines it. */
export function canonicalLine(event: CanonicalEvent): string {
  return jsonlLine({
    eventId: event.event_id,
    sessionId: event.session_id,
    eventType: event.event_type,
    ts: Date.parse(event.timestamp),
    receivedAt: Date.parse(event.received_at),
    source: event.source,
    workflowId: event.workflow_id,
    phaseId: event.phase_id,
    milestoneId: event.milestone_id,
    teamId: event.team_id,
    taskId: event.task_id,
    user: event.user,
    host: event.host,
    dataJson: JSON.stringify(event.data),
  });
}
