// A load generator shared by the process tests: many clients posting single events and
// small batches, remembering exactly which events the server acknowledged.

export interface LoadOptions {
  url: string;
  /** Concurrent clients, each with its own session so verification can page per session. */
  clients: number;
  /** Makes session ids unique per run, so two runs on one database never mix. */
  sessionPrefix: string;
  /** Share of requests that go to /events/batch (0..1). */
  batchShare?: number;
  /** Batch sizes are drawn uniformly from [min, max]. */
  batchSize?: [number, number];
  /** Filler bytes in each event's data. */
  padBytes?: number;
}

export interface LoadReport {
  /** Event ids per session whose request got a 2xx: these must be stored. */
  acked: Map<string, string[]>;
  ackedEvents: number;
  requests: number;
  /** Count of replies per HTTP status. */
  statuses: Record<number, number>;
  /** Requests that got no reply at all (refused, reset). */
  networkErrors: number;
  /** 503 replies without a positive integer Retry-After header. */
  missingRetryAfter: number;
  /** Error replies whose body is not `{error: {code, message}}`. */
  badErrorBodies: number;
  /** A few of those, for the failure message. */
  badErrorSamples: { status: number; body: string; retryAfter: string | null }[];
  /** A few replies that are neither 2xx nor 503, for the failure message. */
  unexpected: { status: number; body: string }[];
}

export interface IngestLoad {
  /** Events acknowledged so far. */
  acked(): number;
  /** Resolves once at least `events` were acknowledged (or rejects after timeoutMs). */
  waitForAcked(events: number, timeoutMs?: number): Promise<void>;
  /** Ends every client loop after its current request; resolves with the report. */
  stop(): Promise<LoadReport>;
}

const NETWORK_ERROR_BACKOFF_MS = 20;

export function startIngestLoad(options: LoadOptions): IngestLoad {
  const batchShare = options.batchShare ?? 0.5;
  const [minBatch, maxBatch] = options.batchSize ?? [2, 8];
  const pad = 'x'.repeat(options.padBytes ?? 64);
  const report: LoadReport = {
    acked: new Map(),
    ackedEvents: 0,
    requests: 0,
    statuses: {},
    networkErrors: 0,
    missingRetryAfter: 0,
    badErrorBodies: 0,
    badErrorSamples: [],
    unexpected: [],
  };
  let stopped = false;

  const client = async (index: number) => {
    const sessionId = `${options.sessionPrefix}-c${index}`;
    const acked: string[] = [];
    report.acked.set(sessionId, acked);
    let next = 0;
    while (!stopped) {
      const batch = Math.random() < batchShare;
      const size = batch ? minBatch + Math.floor(Math.random() * (maxBatch - minBatch + 1)) : 1;
      const events = Array.from({ length: size }, () => {
        const n = next++;
        return { event_type: 'load', session_id: sessionId, event_id: `c${index}-${n}`, data: { n, pad } };
      });
      report.requests++;
      let response: Response;
      let body: string;
      try {
        response = await fetch(`${options.url}/events${batch ? '/batch' : ''}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(batch ? events : events[0]),
        });
      } catch {
        report.networkErrors++;
        await new Promise((r) => setTimeout(r, NETWORK_ERROR_BACKOFF_MS));
        continue;
      }
      // The status line is sent only after the commit, so a 2xx counts even if the
      // connection dies while the body is read.
      const status = response.status;
      report.statuses[status] = (report.statuses[status] ?? 0) + 1;
      if (status >= 200 && status < 300) {
        for (const e of events) acked.push(e.event_id);
        report.ackedEvents += events.length;
      }
      try {
        body = await response.text();
      } catch {
        continue;
      }
      if (status < 300) continue;
      if (!isErrorBody(body)) {
        report.badErrorBodies++;
        if (report.badErrorSamples.length < 5) {
          report.badErrorSamples.push({ status, body: body.slice(0, 300), retryAfter: response.headers.get('retry-after') });
        }
      }
      if (status === 503) {
        if (!/^[1-9]\d*$/.test(response.headers.get('retry-after') ?? '')) report.missingRetryAfter++;
      } else if (report.unexpected.length < 10) {
        report.unexpected.push({ status, body: body.slice(0, 300) });
      }
    }
  };

  const loops = Array.from({ length: options.clients }, (_, i) => client(i));
  return {
    acked: () => report.ackedEvents,
    async waitForAcked(events, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (report.ackedEvents < events) {
        if (Date.now() > deadline) {
          throw new Error(
            `only ${report.ackedEvents} of ${events} events acknowledged in ${timeoutMs} ms: ${JSON.stringify(report.statuses)}`,
          );
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      stopped = true;
      await Promise.all(loops);
      return report;
    },
  };
}

function isErrorBody(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    return typeof parsed.error?.code === 'string' && typeof parsed.error.message === 'string';
  } catch {
    return false;
  }
}
