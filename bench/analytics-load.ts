// Streams generated events into hookd through POST /events/batch: fixed-size batches, a
// few requests in flight, never more than those batches in memory. The load can pause at
// given event counts (to measure the store as it stands), and the pauses are left out of
// its time, so the rates say how fast ingest runs, not how long the measurements took.

export interface LoadOptions {
  batchSize: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Called after each acknowledged batch with the events acknowledged so far and the load's seconds, pauses excluded. */
  onProgress?: (events: number, seconds: number) => void;
  /**
   * Ascending event counts: after the batch that takes the events sent to (or past) one
   * of them, no new batch is sent, the ones in flight are awaited, then `onPause` is.
   */
  pauseAt?: readonly number[];
  /** Called with the pause's entry of `pauseAt` and the events acknowledged, once every batch sent is. */
  onPause?: (at: number, events: number) => Promise<void>;
}

export interface LoadFigures {
  events: number;
  /** Events the server already had (should be 0 on a fresh database). */
  duplicates: number;
  requests: number;
  /** 503 replies (queue full) that were retried after their Retry-After. */
  retries: number;
  /** Sending and waiting for acknowledgements, pauses excluded. */
  seconds: number;
  /** Spent in `onPause`. */
  pausedSeconds: number;
}

const MAX_RETRIES = 50;

async function postBatch(baseUrl: string, body: string, figures: LoadFigures): Promise<{ accepted: number; duplicates: number }> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${baseUrl}/events/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const text = await response.text();
    if (response.status === 202) return JSON.parse(text) as { accepted: number; duplicates: number };
    // Overloaded or briefly unavailable: hookd says when to come back; the batch is not stored.
    if (response.status === 503 && attempt < MAX_RETRIES) {
      figures.retries++;
      const after = Number(response.headers.get('retry-after'));
      await new Promise((resolve) => setTimeout(resolve, (after > 0 ? after : 1) * 1000));
      continue;
    }
    throw new Error(`POST /events/batch answered ${response.status}: ${text.slice(0, 500)}`);
  }
}

/** Posts every event of `sessions` (in order, batched across session boundaries). */
export async function loadSessions(baseUrl: string, sessions: Iterable<readonly object[]>, options: LoadOptions): Promise<LoadFigures> {
  const figures: LoadFigures = { events: 0, duplicates: 0, requests: 0, retries: 0, seconds: 0, pausedSeconds: 0 };
  const started = performance.now();
  const activeSeconds = () => (performance.now() - started) / 1000 - figures.pausedSeconds;
  const pauseAt = options.pauseAt ?? [];
  let nextPause = 0;
  let sent = 0;
  const inFlight = new Set<Promise<void>>();
  let failure: unknown = null;

  const send = (batch: object[]) => {
    // Serialised now, so the batch's objects can be collected while the request runs.
    const body = JSON.stringify(batch);
    sent += batch.length;
    const request: Promise<void> = postBatch(baseUrl, body, figures)
      .then((reply) => {
        figures.events += reply.accepted;
        figures.duplicates += reply.duplicates;
        figures.requests++;
        options.onProgress?.(figures.events, activeSeconds());
      })
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  };
  const drainTo = async (limit: number) => {
    while (inFlight.size > limit) await Promise.race(inFlight);
    if (failure) throw failure;
  };

  const pause = async () => {
    await drainTo(0);
    // Several entries crossed by one batch make one pause, at the last of them.
    while (nextPause + 1 < pauseAt.length && sent >= pauseAt[nextPause + 1]!) nextPause++;
    const at = pauseAt[nextPause++]!;
    const pausedFrom = performance.now();
    await options.onPause?.(at, figures.events);
    figures.pausedSeconds += (performance.now() - pausedFrom) / 1000;
  };

  let batch: object[] = [];
  for (const session of sessions) {
    for (const event of session) {
      batch.push(event);
      if (batch.length < options.batchSize) continue;
      await drainTo(options.concurrency - 1);
      send(batch);
      batch = [];
      if (nextPause < pauseAt.length && sent >= pauseAt[nextPause]!) await pause();
    }
  }
  if (batch.length) {
    await drainTo(options.concurrency - 1);
    send(batch);
  }
  await drainTo(0);
  figures.seconds = activeSeconds();
  return figures;
}
