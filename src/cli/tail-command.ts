import type { CanonicalEvent } from '../modules/events/event.ts';
import { cliConfig, type GlobalOptions } from './cli-config.ts';
import { oneLine, shortTime } from './output.ts';
import { readSse } from './sse-reader.ts';

export interface TailOptions {
  session?: string;
  source?: string;
  type?: string;
  json?: boolean;
  url?: string;
}

const DEFAULT_RETRY_MS = 2000;
const MAX_RETRY_MS = 30_000;

/** Refusals that another attempt would only repeat. */
class TailRefused extends Error {}

/**
 * `hookd tail`: follows GET /events/stream of the running server. Other query commands
 * open the storage directly, but a tail needs what the server sees as it happens (its
 * own commits wake the stream at once; PostgreSQL ordering is handled there), so this
 * one speaks HTTP: --url, else HOOKD_URL, else the configured HOST and PORT; the token
 * from HOOKD_TOKEN, as `hookd emit` reads them. A dropped connection is resumed with
 * Last-Event-ID, so nothing is missed; an event seen twice across a reconnect is printed
 * once (by event_id).
 */
export async function tailCommand(globals: GlobalOptions, options: TailOptions): Promise<void> {
  const url = streamUrl(globals, options);
  const token = process.env.HOOKD_TOKEN?.trim() || undefined;
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // `hookd tail | head -3` ends quietly through main.ts's EPIPE handler.

  const recent = new RecentIds(1000);
  let lastEventId = '';
  let retryMs = DEFAULT_RETRY_MS;
  let failures = 0;
  while (!abort.signal.aborted) {
    try {
      const response = await fetch(url, {
        headers: {
          accept: 'text/event-stream',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
        },
        signal: abort.signal,
      });
      if (!response.ok || !response.body) await refuse(response);
      if (failures > 0) process.stderr.write('hookd tail: reconnected\n');
      failures = 0;
      for await (const message of readSse(response.body!, lastEventId)) {
        lastEventId = message.lastEventId;
        if (message.retry !== undefined) retryMs = message.retry;
        if (message.event !== 'message' || message.data === '') continue;
        const event = JSON.parse(message.data) as CanonicalEvent;
        if (recent.seen(`${event.session_id}\u0000${event.event_id}`)) continue;
        process.stdout.write(options.json ? `${message.data}\n` : `${formatLine(event)}\n`);
      }
    } catch (error) {
      if (abort.signal.aborted) break;
      if (error instanceof TailRefused) throw error;
      if (failures === 0) process.stderr.write(`hookd tail: ${describe(error, url)}; reconnecting\n`);
      failures++;
    }
    if (abort.signal.aborted) break;
    // The server ended the stream (shutdown, client too slow) or the connection broke.
    await sleep(Math.min(retryMs * 2 ** Math.min(failures, 4), MAX_RETRY_MS), abort.signal);
  }
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
}

function streamUrl(globals: GlobalOptions, options: TailOptions): URL {
  let base = options.url ?? process.env.HOOKD_URL?.trim();
  if (!base) {
    const config = cliConfig(globals);
    // A server bound to every address is reached on loopback.
    const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    base = `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
  }
  if (!/^https?:\/\/[^/]/i.test(base)) throw new TailRefused(`--url must start with http:// or https:// (got "${base}")`);
  const url = new URL(`${base.replace(/\/+$/, '')}/events/stream`);
  if (options.session !== undefined) url.searchParams.set('session_id', options.session);
  if (options.source !== undefined) url.searchParams.set('source', options.source);
  if (options.type !== undefined) url.searchParams.set('event_type', options.type);
  return url;
}

async function refuse(response: Response): Promise<never> {
  const body = await response.text().catch(() => '');
  let message = body.slice(0, 200);
  try {
    message = (JSON.parse(body) as { error?: { message?: string } }).error?.message ?? message;
  } catch {
    // Not hookd's JSON.
  }
  const text = `${response.url.replace(/\?.*$/, '')} answered ${response.status}${message ? `: ${message}` : ''}`;
  // Unavailable for now (shutting down, overloaded, a proxy's 502): worth another try.
  if (response.status >= 500 && response.status !== 501) throw new Error(text);
  const hint = response.status === 401 || response.status === 403 ? ' (set HOOKD_TOKEN to a token with the read scope)' : '';
  throw new TailRefused(`${text}${hint}`);
}

/** time, source, session, type and the tool's name when there is one: one line per event. */
export function formatLine(event: CanonicalEvent): string {
  const tool = typeof event.data.tool_name === 'string' ? event.data.tool_name : '';
  return oneLine(
    [shortTime(event.timestamp), event.source.padEnd(11), event.session_id, event.event_type.padEnd(24), tool].join('  ').trimEnd(),
  );
}

function describe(error: unknown, url: URL): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return `no hookd server at ${url.origin} (start one with \`hookd serve\`, or pass --url)`;
  return `connection to ${url.origin} lost (${(error as Error).message})`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** The last N keys, to print an event once when a resume repeats it. */
class RecentIds {
  private readonly keys = new Set<string>();
  private readonly max: number;

  constructor(max: number) {
    this.max = max;
  }

  seen(key: string): boolean {
    if (this.keys.has(key)) return true;
    this.keys.add(key);
    if (this.keys.size > this.max) this.keys.delete(this.keys.values().next().value!);
    return false;
  }
}
