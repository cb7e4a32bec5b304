import type { ServerResponse } from 'node:http';
import type { CanonicalEvent } from '../events/event.ts';
import type { StreamSink } from './event-stream.ts';

/** How long a client that stopped reading gets to take the last bytes before its socket is cut. */
const END_GRACE_MS = 5000;

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  // nginx and similar proxies buffer responses unless told not to.
  'x-accel-buffering': 'no',
  // The socket goes with the stream: a client that keeps an ended stream's connection for
  // reuse would otherwise hold server close() for the whole keep-alive timeout (72 s).
  connection: 'close',
};

/**
 * A Server-Sent Events response: events as `id:` (resume cursor), `event: message`,
 * `data:` (the event JSON on one line: JSON.stringify escapes every line break), and
 * comments for heartbeats and the reason a stream ends.
 *
 * Backpressure: Node buffers what the socket has not taken; once that exceeds
 * `bufferBytes` the stream is dropped rather than buffered without bound (the client
 * resumes with Last-Event-ID). The check comes before a write, so one event larger
 * than the limit still goes through.
 */
export class SseConnection implements StreamSink {
  private readonly res: ServerResponse;
  private readonly bufferBytes: number;
  private ended = false;

  constructor(res: ServerResponse, bufferBytes: number) {
    this.res = res;
    this.bufferBytes = bufferBytes;
  }

  /** Sends the headers and the reconnection delay hint. */
  open(retryMs: number): void {
    this.res.writeHead(200, SSE_HEADERS);
    this.res.write(`retry: ${retryMs}\n\n`);
  }

  event(cursor: number, event: CanonicalEvent): boolean {
    if (this.ended) return true;
    if (this.behind()) return false;
    this.res.write(`id: ${cursor}\nevent: message\ndata: ${JSON.stringify(event)}\n\n`);
    return true;
  }

  ping(cursor: number | null): boolean {
    if (this.ended) return true;
    if (this.behind()) return false;
    // An `id:` without data sets the client's Last-Event-ID and dispatches nothing.
    this.res.write(cursor === null ? ': ping\n\n' : `: ping\nid: ${cursor}\n\n`);
    return true;
  }

  ready(): Promise<void> {
    if (this.ended || !this.res.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.on('drain', done);
      this.res.on('close', done);
    });
  }

  end(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    if (this.res.destroyed) return;
    this.res.end(`: ${reason}\n\n`);
    setTimeout(() => {
      if (!this.res.writableFinished) this.res.destroy();
    }, END_GRACE_MS).unref();
  }

  onGone(listener: () => void): void {
    this.res.once('close', () => {
      this.ended = true;
      listener();
    });
  }

  private behind(): boolean {
    return this.res.writableLength > this.bufferBytes;
  }
}
