// A Server-Sent Events client for the live-tail tests: it parses the wire format itself
// (independent of the CLI's parser), so tests see what a browser's EventSource would.
import { expect } from 'vitest';

export interface SseMessage {
  id: string | null;
  event: string | null;
  data: string | null;
  comments: string[];
}

/**
 * A streaming client over fetch, parsing the wire format itself (independent of the
 * CLI's parser), so the tests see exactly what a browser's EventSource would.
 */
export class StreamClient {
  readonly messages: SseMessage[] = [];
  text = '';
  ended = false;
  private readonly abort: AbortController;
  private waiters: (() => void)[] = [];
  readonly done: Promise<void>;

  private constructor(body: ReadableStream<Uint8Array>, abort: AbortController) {
    this.abort = abort;
    this.done = this.read(body);
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<StreamClient> {
    const abort = new AbortController();
    const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
    if (response.status !== 200) throw new Error(`stream answered ${response.status}: ${await response.text()}`);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    return new StreamClient(response.body!, abort);
  }

  /** Messages that carry an event, parsed once as they arrive. */
  readonly events: { id: string; event: Record<string, unknown> & { event_id: string; session_id: string; event_type: string } }[] = [];

  /** The Last-Event-ID an EventSource would send now: the last id: seen, with or without data. */
  get lastId(): string | null {
    for (let i = this.messages.length - 1; i >= 0; i--) if (this.messages[i]!.id !== null) return this.messages[i]!.id;
    return null;
  }

  async waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got:\n${this.text.slice(-2000)}`);
      if (this.ended) throw new Error(`stream ended while waiting for ${what}; got:\n${this.text.slice(-2000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  waitForEvents(n: number, timeoutMs?: number): Promise<void> {
    return this.waitFor(() => this.events.length >= n, `${n} events`, timeoutMs);
  }

  close(): void {
    this.abort.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let pending = '';
    try {
      for await (const chunk of body) {
        const text = decoder.decode(chunk, { stream: true });
        this.text += text;
        pending += text;
        let end: number;
        while ((end = pending.indexOf('\n\n')) >= 0) {
          const message = parseBlock(pending.slice(0, end));
          this.messages.push(message);
          if (message.data) this.events.push({ id: message.id!, event: JSON.parse(message.data) });
          pending = pending.slice(end + 2);
        }
        for (const wake of this.waiters.splice(0)) wake();
      }
    } catch {
      // Aborted by close().
    } finally {
      this.ended = true;
      for (const wake of this.waiters.splice(0)) wake();
    }
  }
}

export function parseBlock(block: string): SseMessage {
  const message: SseMessage = { id: null, event: null, data: null, comments: [] };
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) message.comments.push(line.slice(1).trim());
    else if (line.startsWith('id: ')) message.id = line.slice(4);
    else if (line.startsWith('event: ')) message.event = line.slice(7);
    else if (line.startsWith('data: ')) message.data = (message.data === null ? '' : `${message.data}\n`) + line.slice(6);
  }
  return message;
}

export function parseAll(text: string): string[] {
  return text
    .split('\n\n')
    .map(parseBlock)
    .filter((m) => m.data)
    .map((m) => (JSON.parse(m.data!) as { event_id: string }).event_id);
}

export function lastIdIn(text: string): string | null {
  const ids = [...text.matchAll(/^id: (\d+)$/gm)];
  return ids.at(-1)?.[1] ?? null;
}
