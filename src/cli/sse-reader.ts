/** One dispatched Server-Sent Events message. */
export interface SseMessage {
  /** The stream's last event id after this message (ids persist across messages, as in EventSource). */
  lastEventId: string;
  /** `message` unless the server named another type. */
  event: string;
  /** Empty for a message that only carried an `id:` (a cursor update). */
  data: string;
  /** A `retry:` hint that came with it, in ms. */
  retry?: number;
}

/**
 * Parses a text/event-stream body as the HTML standard's EventSource does: lines end
 * with CRLF, LF or CR; `:` starts a comment; a blank line dispatches. A message with an
 * `id:` but no data is still yielded (with empty data): it moves the resume point.
 */
export async function* readSse(body: AsyncIterable<Uint8Array>, lastEventId = ''): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  let event = '';
  let idSeen = false;
  let retry: number | undefined;
  let id = lastEventId;

  function* line(text: string): Generator<SseMessage> {
    if (text === '') {
      if (data.length > 0 || idSeen || retry !== undefined) {
        const message: SseMessage = { lastEventId: id, event: event || 'message', data: data.join('\n') };
        if (retry !== undefined) message.retry = retry;
        yield message;
      }
      data = [];
      event = '';
      idSeen = false;
      retry = undefined;
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id' && !value.includes('\u0000')) {
      id = value;
      idSeen = true;
    } else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value);
  }

  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const c = buffer[i];
      if (c !== '\n' && c !== '\r') continue;
      // A CR at the very end may be the first half of CRLF: wait for the next chunk.
      if (c === '\r' && i === buffer.length - 1) break;
      yield* line(buffer.slice(start, i));
      if (c === '\r' && buffer[i + 1] === '\n') i++;
      start = i + 1;
    }
    buffer = buffer.slice(start);
  }
  // The stream ended: a CR held back for a possible LF ended its line after all.
  if (buffer.endsWith('\r')) yield* line(buffer.slice(0, -1));
}
