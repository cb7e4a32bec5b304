import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { openJsonlFile, readJsonl, type JsonlItem } from './jsonl-reader.ts';

/** Feeds the reader chunk by chunk, as a file read in pieces would. */
async function read(...chunks: (string | Buffer)[]): Promise<JsonlItem[]> {
  const items: JsonlItem[] = [];
  const buffers = chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c));
  for await (const item of readJsonl(Readable.from(buffers))) items.push(item);
  return items;
}

const summary = (items: JsonlItem[]) => items.map((i) => `${i.line}:${i.kind}`);

describe('readJsonl', () => {
  it('skips an unparsable last line without a newline as torn: a crash mid-append', async () => {
    const items = await read('{"a":1}\n{"a":2}\n{"a":3,"b":"unfini');
    expect(summary(items)).toEqual(['1:value', '2:value', '3:torn']);
    expect(items[2]).toMatchObject({ problem: expect.stringMatching(/^last line is incomplete \(no newline at the end\)/) });
  });

  it('treats an unparsable last line that has its newline as invalid, not torn', async () => {
    expect(summary(await read('{"a":1}\n{"a":\n'))).toEqual(['1:value', '2:invalid']);
  });

  it('accepts a parsable last line without a newline', async () => {
    const items = await read('{"a":1}\n{"a":2}');
    expect(items.map((i) => (i.kind === 'value' ? i.value : null))).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('reports a bad line in the middle as invalid and carries on, numbering lines as an editor does', async () => {
    const items = await read('{"a":1}\n\nnot json\n   \n{"a":5}\n{"a":\n{"a":7}\n');
    expect(summary(items)).toEqual(['1:value', '3:invalid', '5:value', '6:invalid', '7:value']);
    expect(items[1]).toMatchObject({ problem: expect.stringMatching(/^not valid JSON/) });
  });

  it('decides "torn" by the last byte even when the file ends in blank lines or chunk edges', async () => {
    // A broken line followed by a blank line did end with a newline: invalid.
    expect(summary(await read('{"a":1}\n{"a"\n\n'))).toEqual(['1:value', '2:invalid']);
    // The newline arriving in a chunk of its own still counts.
    expect(summary(await read('{"a":1}\n{"a"', '\n'))).toEqual(['1:value', '2:invalid']);
    expect(summary(await read('{"a":1}\n', '{"a"'))).toEqual(['1:value', '2:torn']);
  });

  it('keeps the text of each line, handles CRLF, a byte order mark and characters split across chunks', async () => {
    const bytes = Buffer.from('\uFEFF{"s":"✓"}\r\n{"s":"é"}\r\n');
    const items = await read(bytes.subarray(0, 11), bytes.subarray(11, 22), bytes.subarray(22));
    expect(items).toEqual([
      { kind: 'value', line: 1, value: { s: '✓' }, text: '{"s":"✓"}' },
      { kind: 'value', line: 2, value: { s: 'é' }, text: '{"s":"é"}' },
    ]);
  });

  it('yields nothing for an empty input', async () => {
    expect(await read()).toEqual([]);
    expect(await read('\n\n')).toEqual([]);
  });
});

describe('openJsonlFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookd-jsonl-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports the size, counts bytes read and streams the lines', async () => {
    const path = join(dir, 'events.jsonl');
    const text = `${Array.from({ length: 5000 }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat(100) })).join('\n')}\n{"torn":`;
    writeFileSync(path, text);
    let bytes = 0;
    const file = await openJsonlFile(path, { onBytes: (n) => (bytes += n) });
    expect(file.size).toBe(Buffer.byteLength(text));
    const kinds = new Map<string, number>();
    for await (const item of file.items) kinds.set(item.kind, (kinds.get(item.kind) ?? 0) + 1);
    expect(Object.fromEntries(kinds)).toEqual({ value: 5000, torn: 1 });
    expect(bytes).toBe(file.size);
  });

  it('fails before yielding anything when the file cannot be read', async () => {
    await expect(openJsonlFile(join(dir, 'missing.jsonl'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(openJsonlFile(dir)).rejects.toMatchObject({ code: 'EISDIR' });
  });

  it('lets a caller stop early', async () => {
    const path = join(dir, 'early.jsonl');
    writeFileSync(path, '{"a":1}\n{"a":2}\n{"a":3}\n');
    const file = await openJsonlFile(path);
    const first = await file.items.next();
    expect(first.value).toMatchObject({ kind: 'value', line: 1 });
    const done = await file.items.return(undefined);
    expect(done.done).toBe(true);
  });
});
