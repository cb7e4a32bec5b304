import type { CanonicalEvent } from '../modules/events/event.ts';
import type { EventQuery } from '../modules/events/event-query-service.ts';
import { openRuntime } from '../runtime/runtime.ts';
import { readConfig, type GlobalOptions } from './cli-config.ts';
import { printJson, printTable, shortTime, truncate, type Column } from './output.ts';

/** The filters `hookd events` and `hookd export` share, as commander hands them over. */
export interface EventFilterOptions {
  session?: string;
  type?: string;
  source?: string;
  workflow?: string;
  from?: string;
  to?: string;
}

export interface EventsOptions extends EventFilterOptions {
  limit?: number;
  cursor?: string;
  json?: boolean;
}

export const DEFAULT_EVENTS_LIMIT = 50;
const PREVIEW_CHARS = 60;

const COLUMNS: Column<CanonicalEvent>[] = [
  { header: 'time', value: (e) => shortTime(e.timestamp) },
  { header: 'session', value: (e) => e.session_id },
  { header: 'type', value: (e) => e.event_type },
  { header: 'source', value: (e) => e.source },
  { header: 'event id', value: (e) => e.event_id },
  { header: 'data', value: (e) => preview(e.data) },
];

/** One page of events, newest first, through the same query service the HTTP API uses. */
export async function eventsCommand(globals: GlobalOptions, options: EventsOptions): Promise<void> {
  const { services } = await openRuntime(readConfig(globals), { applicationName: 'hookd-events' }, 'reading events');
  try {
    const query: EventQuery = { ...eventQueryOf(options), limit: options.limit ?? DEFAULT_EVENTS_LIMIT };
    if (options.cursor !== undefined) query.cursor = options.cursor;
    const page = await services.events.list(query);
    if (options.json) {
      printJson(page);
      return;
    }
    if (page.items.length === 0) process.stdout.write(options.cursor ? 'no more events\n' : 'no events match\n');
    else printTable(COLUMNS, page.items);
    if (page.next_cursor) {
      process.stdout.write(`more: repeat with --cursor ${page.next_cursor} for the next (older) page\n`);
    }
  } finally {
    await services.close();
  }
}

/** CLI flag names to the API's query names; the query service parses and checks them. */
export function eventQueryOf(options: EventFilterOptions): EventQuery {
  const query: EventQuery = {};
  if (options.session !== undefined) query.session_id = options.session;
  if (options.type !== undefined) query.event_type = options.type;
  if (options.source !== undefined) query.source = options.source;
  if (options.workflow !== undefined) query.workflow_id = options.workflow;
  if (options.from !== undefined) query.from = options.from;
  if (options.to !== undefined) query.to = options.to;
  return query;
}

/** The payload on one short line: enough to tell events apart while scanning. */
function preview(data: Record<string, unknown>): string {
  const text = JSON.stringify(data);
  return text === '{}' ? '' : truncate(text, PREVIEW_CHARS);
}
