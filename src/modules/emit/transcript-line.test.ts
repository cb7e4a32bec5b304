import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mayMatter, parseTranscriptLine } from './transcript-line.ts';

const assistant = (extra: Record<string, unknown> = {}, message: Record<string, unknown> = {}) =>
  JSON.stringify({
    type: 'assistant',
    requestId: 'req_1',
    timestamp: '2026-12-01T09:00:02.100Z',
    message: {
      id: 'msg_1',
      model: 'claude-sonnet-4-5-20250929',
      content: [{ type: 'text', text: 'hello' }],
      usage: { input_tokens: 10, output_tokens: 20, cache_read_input_tokens: 30, cache_creation_input_tokens: 40 },
      ...message,
    },
    ...extra,
  });

describe('parseTranscriptLine', () => {
  it("reads an assistant line's request, model, time and the four counts", () => {
    expect(parseTranscriptLine(assistant())).toEqual({
      kind: 'usage',
      key: 'msg_1:req_1',
      requestId: 'req_1',
      messageId: 'msg_1',
      model: 'claude-sonnet-4-5-20250929',
      timestamp: Date.parse('2026-12-01T09:00:02.100Z'),
      inputTokens: 10,
      outputTokens: 20,
      cacheReadTokens: 30,
      cacheCreationTokens: 40,
    });
  });

  it('keys a line by whichever id it has, and skips one with neither', () => {
    expect(parseTranscriptLine(assistant({ requestId: undefined }))).toMatchObject({ kind: 'usage', key: 'msg_1:', requestId: null });
    expect(parseTranscriptLine(assistant({}, { id: undefined }))).toMatchObject({ kind: 'usage', key: ':req_1', messageId: null });
    expect(parseTranscriptLine(assistant({ requestId: undefined }, { id: undefined }))).toEqual({ kind: 'unkeyed' });
  });

  it('counts what is not a count as 0 and an unreadable time as none', () => {
    const line = assistant(
      { timestamp: 'yesterday' },
      { usage: { input_tokens: -1, output_tokens: '20', cache_read_input_tokens: 1.5, cache_creation_input_tokens: null } },
    );
    expect(parseTranscriptLine(line)).toMatchObject({
      timestamp: null,
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheCreationTokens: 0,
    });
  });

  it("takes a user line's promptId as the prompt, and skips Claude Code's <synthetic> messages", () => {
    expect(parseTranscriptLine(JSON.stringify({ type: 'user', promptId: 'p-1', message: { content: 'hi' } }))).toEqual({
      kind: 'prompt',
      promptId: 'p-1',
    });
    expect(parseTranscriptLine(assistant({}, { model: '<synthetic>' }))).toEqual({ kind: 'synthetic' });
  });

  it('leaves every other line alone, and calls what does not parse malformed', () => {
    for (const line of [
      JSON.stringify({ type: 'user', message: { content: 'no prompt id' } }),
      JSON.stringify({ type: 'system', content: 'Stop hooks ran' }),
      JSON.stringify({ type: 'summary', summary: 'x' }),
      JSON.stringify({ type: 'assistant', message: { id: 'msg_1', content: [] } }),
      JSON.stringify({ type: 'assistant', requestId: 'req_1', message: { id: 'msg_1', usage: [] } }),
    ])
      expect(parseTranscriptLine(line)).toEqual({ kind: 'other' });
    for (const line of ['{"type":"assistant","message":{"usage":{"input_tokens":', '[1,2]', 'null', ''])
      expect(parseTranscriptLine(line)).toEqual({ kind: 'malformed' });
  });

  it('reads the fixture transcript as Claude Code writes it', () => {
    const text = readFileSync(join(import.meta.dirname, '../../../test/fixtures/claude-code-transcript/session.jsonl'), 'utf8');
    const kinds = text
      .trimEnd()
      .split('\n')
      .map((line) => parseTranscriptLine(line))
      .map((l) => (l.kind === 'usage' ? `${l.requestId}:${l.outputTokens}` : l.kind === 'prompt' ? `prompt:${l.promptId}` : l.kind));
    expect(kinds).toEqual([
      'other',
      'prompt:p-1',
      'req_011A:5',
      'req_011A:60',
      'req_011A:180',
      'prompt:p-1',
      'req_011B:40',
      'malformed',
      'other',
      'prompt:p-2',
      'synthetic',
      'req_011C:90',
    ]);
  });
});

describe('mayMatter', () => {
  it('passes lines that name usage or a prompt id, and nothing else, without parsing them', () => {
    expect(mayMatter(Buffer.from(assistant()))).toBe(true);
    expect(mayMatter(Buffer.from('{"type":"user","promptId":"p-1"}'))).toBe(true);
    expect(mayMatter(Buffer.from('{"type":"user","message":{"content":[{"type":"tool_result","content":"big"}]}}'))).toBe(false);
    // A key with a space before its colon still counts: only the quoted name is looked for.
    expect(mayMatter(Buffer.from('{"usage" : {}}'))).toBe(true);
  });
});
