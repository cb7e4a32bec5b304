import { describe, expect, it } from 'vitest';
import { readSse, type SseMessage } from './sse-reader.ts';

async function parse(chunks: string[], lastEventId = ''): Promise<SseMessage[]> {
  const encoder = new TextEncoder();
  async function* body() {
    for (const chunk of chunks) yield encoder.encode(chunk);
  }
  const out: SseMessage[] = [];
  for await (const message of readSse(body(), lastEventId)) out.push(message);
  return out;
}

describe('readSse', () => {
  it('parses messages split anywhere, with LF, CRLF or CR line ends, skipping comments', async () => {
    const text = 'retry: 2000\r\n\r\n: ping\n\nid: 7\nevent: message\ndata: {"a":1}\n\nid: 8\rdata: x\rdata: y\r\r';
    for (const size of [1, 2, 3, 5, text.length]) {
      const chunks = text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g'))!;
      expect(await parse(chunks)).toEqual([
        { lastEventId: '', event: 'message', data: '', retry: 2000 },
        { lastEventId: '7', event: 'message', data: '{"a":1}' },
        { lastEventId: '8', event: 'message', data: 'x\ny' },
      ]);
    }
  });

  it('yields an id-only message (a cursor update) and keeps the id for later messages', async () => {
    expect(await parse([': ping\nid: 12\n\ndata: a\n\n'], '3')).toEqual([
      { lastEventId: '12', event: 'message', data: '' },
      { lastEventId: '12', event: 'message', data: 'a' },
    ]);
  });

  it('drops an unfinished last message, as EventSource does', async () => {
    expect(await parse(['id: 1\ndata: half'])).toEqual([]);
  });
});
