import { fs } from '../../core/builtin-fs.ts';
import { mayMatter, parseTranscriptLine, type UsageLine } from './transcript-line.ts';
import type { TranscriptState } from './transcript-state.ts';

/** One model request read from a transcript, with the prompt it answered. */
export interface TranscriptRequest extends UsageLine {
  promptId: string | null;
}

export interface ReadLimits {
  /** The most bytes this read may take. */
  maxBytes: number;
  /** Date.now() past which no further chunk is read. */
  deadline: number;
}

export interface TranscriptRead {
  /** New requests, in the order their first line came; none already in `from.reported`. */
  requests: TranscriptRequest[];
  /** Where the next read starts (the keys reported are the caller's to add once they are stored). */
  state: TranscriptState;
  /** Bytes taken from the file. */
  bytes: number;
  /** Whole lines read. */
  lines: number;
  /** Lines that looked like a prompt or usage line but did not parse. */
  malformed: number;
  /** Usage lines naming neither a request nor a message id. */
  unkeyed: number;
  /** Lines longer than a read may take, skipped. */
  overlong: number;
  /** Bytes of a last line without its newline yet, left for the next read. */
  partial: number;
  /** `end`: everything written so far was read; else the budget that ran out. */
  stoppedBy: 'end' | 'bytes' | 'time';
}

const CHUNK = 1024 * 1024;
const NEWLINE = 0x0a;

/**
 * Reads whole lines from `from.offset` up to `size` (what the file held when the run
 * began), within the limits. A half-written last line waits for the next read.
 *
 * A response is written as one line per content block, each with the same `message.id`
 * and `requestId`: each request is reported once, with the usage of its LAST line in this
 * read, since streaming writes the final output count last (ccusage keeps the first line
 * and so undercounts output; ccstats keeps the line with a stop_reason, else the latest).
 * When a budget cuts the read, the request of the last usage line read may go on past the
 * cut: it is held back and read again, from its first line, by the next run.
 */
export function readTranscript(fd: number, size: number, from: TranscriptState, limits: ReadLimits): TranscriptRead {
  const end = Math.min(size, from.offset + limits.maxBytes);
  const reported = new Set(from.reported);
  const found = new Map<string, { request: TranscriptRequest; firstLine: number }>();
  const result: TranscriptRead = {
    requests: [],
    state: from,
    bytes: 0,
    lines: 0,
    malformed: 0,
    unkeyed: 0,
    overlong: 0,
    partial: 0,
    stoppedBy: 'end',
  };
  let promptId = from.promptId;
  let skipping = from.skipLine;
  let lastKey: string | null = null;
  // `position`: the next byte to read; `lineStart`: where the line being read began.
  let position = from.offset;
  let lineStart = from.offset;
  const pending: Buffer[] = [];
  const chunk = Buffer.allocUnsafe(Math.max(1, Math.min(CHUNK, end - position)));

  const handle = (line: Buffer, at: number) => {
    result.lines++;
    if (!mayMatter(line)) return;
    const parsed = parseTranscriptLine(line.toString('utf8'));
    if (parsed.kind === 'prompt') promptId = parsed.promptId;
    else if (parsed.kind === 'malformed') result.malformed++;
    else if (parsed.kind === 'unkeyed') result.unkeyed++;
    else if (parsed.kind === 'usage' && !reported.has(parsed.key)) {
      const { kind: _, ...usage } = parsed;
      const seen = found.get(parsed.key);
      if (seen) seen.request = { ...usage, model: usage.model ?? seen.request.model, promptId: seen.request.promptId };
      else found.set(parsed.key, { request: { ...usage, promptId }, firstLine: at });
      lastKey = parsed.key;
    }
  };

  while (position < end) {
    if (Date.now() > limits.deadline) {
      result.stoppedBy = 'time';
      break;
    }
    const read = fs.readSync(fd, chunk, 0, Math.min(chunk.length, end - position), position);
    // The file shrank since it was measured: what is there was read.
    if (read === 0) break;
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE, 0); nl !== -1 && nl < read; nl = chunk.indexOf(NEWLINE, start)) {
      if (skipping) {
        skipping = false;
        result.overlong++;
      } else {
        const tail = chunk.subarray(start, nl);
        handle(pending.length > 0 ? Buffer.concat([...pending, tail]) : tail, lineStart);
      }
      pending.length = 0;
      lineStart = position + nl + 1;
      start = nl + 1;
    }
    // The chunk's buffer is reused: the start of a line that goes on is copied.
    if (start < read && !skipping) pending.push(Buffer.from(chunk.subarray(start, read)));
    position += read;
  }
  if (result.stoppedBy === 'end' && position === end && end < size) result.stoppedBy = 'bytes';

  let offset = lineStart;
  let skipLine = false;
  if (result.stoppedBy !== 'end' && lastKey !== null && found.get(lastKey)!.firstLine > from.offset) {
    const held = found.get(lastKey)!;
    found.delete(lastKey);
    offset = held.firstLine;
    promptId = held.request.promptId;
  } else if (lineStart === from.offset && result.stoppedBy === 'bytes') {
    // Not one newline in a whole read: a line longer than a run may take (a huge tool
    // result). It holds no usage worth that; the next read drops the rest of it.
    offset = position;
    skipLine = true;
  } else if (skipping) {
    offset = position;
    skipLine = true;
  } else if (result.stoppedBy === 'end') {
    result.partial = position - lineStart;
  }
  result.requests = [...found.values()].map((f) => f.request);
  result.bytes = position - from.offset;
  result.state = { ...from, offset, promptId, skipLine };
  return result;
}
