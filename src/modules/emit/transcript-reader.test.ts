import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readTranscript, type ReadLimits } from './transcript-reader.ts';
import { startingPoint, type TranscriptState } from './transcript-state.ts';

const FIXTURES = join(import.meta.dirname, '../../../test/fixtures/claude-code-transcript');
const SESSION = readFileSync(join(FIXTURES, 'session.jsonl'), 'utf8');
const APPENDED = readFileSync(join(FIXTURES, 'appended.jsonl'), 'utf8');
const REST = readFileSync(join(FIXTURES, 'appended-rest.jsonl'), 'utf8');

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function transcriptOf(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'hookd-transcript-read-'));
  dirs.push(dir);
  const path = join(dir, 'session.jsonl');
  writeFileSync(path, text);
  return path;
}

const NO_LIMITS: ReadLimits = { maxBytes: 1024 ** 3, deadline: Number.MAX_SAFE_INTEGER };

/** Reads `path` from `from` (the start when omitted), as one run would. */
function read(path: string, from?: TranscriptState, limits: ReadLimits = NO_LIMITS) {
  const fd = openSync(path, 'r');
  try {
    const stat = statSync(path);
    return readTranscript(fd, stat.size, from ?? startingPoint(null, path, stat), limits);
  } finally {
    closeSync(fd);
  }
}

const summary = (requests: { requestId: string | null; promptId: string | null; outputTokens: number }[]) =>
  requests.map((r) => `${r.requestId}/${r.promptId}/${r.outputTokens}`);

describe('readTranscript', () => {
  it('reports each request once with its last line, under the prompt before it', () => {
    const path = transcriptOf(SESSION);
    const result = read(path);
    expect(summary(result.requests)).toEqual(['req_011A/p-1/180', 'req_011B/p-1/40', 'req_011C/p-2/90']);
    expect(result.requests[0]).toMatchObject({
      inputTokens: 1000,
      cacheReadTokens: 20000,
      cacheCreationTokens: 3000,
      timestamp: Date.parse('2026-12-01T09:00:03.400Z'),
    });
    expect(result).toMatchObject({ lines: 12, malformed: 1, unkeyed: 0, overlong: 0, partial: 0, stoppedBy: 'end', bytes: SESSION.length });
    expect(result.state).toMatchObject({ offset: SESSION.length, promptId: 'p-2', skipLine: false });
  });

  it('skips requests already reported, and goes on from where the last read stopped', () => {
    const path = transcriptOf(SESSION);
    const first = read(path);
    writeFileSync(path, SESSION + APPENDED);
    const second = read(path, { ...first.state, reported: ['msg_01A:req_011A', 'msg_01B:req_011B', 'msg_01C:req_011C'] });
    expect(summary(second.requests)).toEqual(['req_011D/p-3/70']);
    // The half-written last line waits: the state stops at its start.
    const whole = APPENDED.lastIndexOf('\n') + 1;
    expect(second.state.offset).toBe(SESSION.length + whole);
    expect(second.partial).toBe(APPENDED.length - whole);
    expect(second.lines).toBe(2);

    writeFileSync(path, SESSION + APPENDED + REST);
    const third = read(path, second.state);
    expect(summary(third.requests)).toEqual(['req_011E/p-3/10']);
    expect(third.state.offset).toBe((SESSION + APPENDED + REST).length);
    // Lines read again (a replaced file) report nothing already reported.
    expect(
      read(path, { ...third.state, offset: 0, reported: ['msg_01A:req_011A', 'msg_01B:req_011B'] }).requests.map((r) => r.requestId),
    ).toEqual(['req_011C', 'req_011D', 'req_011E']);
  });

  it('holds back the last request when the byte budget cuts the read, and reads it whole next time', () => {
    const path = transcriptOf(SESSION);
    const lines = SESSION.split('\n');
    // The cut falls after request A's second line: its third (output 180) is beyond it.
    const startOfA = lines[0]!.length + 1 + lines[1]!.length + 1;
    const cut = startOfA + lines[2]!.length + 1 + lines[3]!.length + 1 + 10;
    const first = read(path, undefined, { maxBytes: cut, deadline: Number.MAX_SAFE_INTEGER });
    expect(first.stoppedBy).toBe('bytes');
    expect(first.requests).toEqual([]);
    expect(first.state).toMatchObject({ offset: startOfA, promptId: 'p-1' });
    const second = read(path, first.state);
    expect(summary(second.requests)).toEqual(['req_011A/p-1/180', 'req_011B/p-1/40', 'req_011C/p-2/90']);

    // A cut right after request B's one line holds B back too: more of it may follow.
    const startOfB = lines.slice(0, 6).join('\n').length + 1;
    const third = read(path, undefined, { maxBytes: startOfB + lines[6]!.length + 1, deadline: Number.MAX_SAFE_INTEGER });
    expect(summary(third.requests)).toEqual(['req_011A/p-1/180']);
    expect(third.state).toMatchObject({ offset: startOfB, promptId: 'p-1' });
  });

  it('skips a line longer than a read may take, over as many reads as it needs', () => {
    const long = JSON.stringify({ type: 'user', message: { content: [{ type: 'tool_result', content: 'x'.repeat(10_000) }] } });
    const usage = SESSION.split('\n')[6]!;
    const path = transcriptOf(`${long}\n${usage}\n`);
    const limits = { maxBytes: 4096, deadline: Number.MAX_SAFE_INTEGER };
    const first = read(path, undefined, limits);
    expect(first.state).toMatchObject({ offset: 4096, skipLine: true });
    expect(first.requests).toEqual([]);
    const second = read(path, first.state, limits);
    expect(second.state).toMatchObject({ offset: 8192, skipLine: true });
    const third = read(path, second.state, limits);
    expect(summary(third.requests)).toEqual(['req_011B/null/40']);
    expect(third).toMatchObject({ overlong: 1, stoppedBy: 'end' });
    expect(third.state).toMatchObject({ offset: long.length + usage.length + 2, skipLine: false });
  });

  it('reads nothing past its deadline', () => {
    const path = transcriptOf(SESSION);
    const result = read(path, undefined, { maxBytes: 1024 ** 3, deadline: Date.now() - 1 });
    expect(result).toMatchObject({ stoppedBy: 'time', bytes: 0, requests: [] });
    expect(result.state.offset).toBe(0);
  });

  it('counts usage lines without ids, and reads an empty file as nothing', () => {
    const unkeyed = JSON.stringify({ type: 'assistant', message: { model: 'm', usage: { input_tokens: 1 } } });
    expect(read(transcriptOf(`${unkeyed}\n`))).toMatchObject({ unkeyed: 1, requests: [] });
    expect(read(transcriptOf(''))).toMatchObject({ lines: 0, bytes: 0, stoppedBy: 'end', requests: [] });
  });
});
