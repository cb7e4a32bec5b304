import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** One line of a JSONL file, numbered from 1 as an editor shows it. */
export type JsonlItem =
  | { kind: 'value'; line: number; value: unknown; text: string }
  /** A complete line that is not JSON: the file is damaged there. */
  | { kind: 'invalid'; line: number; problem: string }
  /**
   * The last line has no newline and does not parse: what a crash in the middle of an
   * append leaves behind. Nothing was acknowledged for it, so skipping it loses nothing.
   */
  | { kind: 'torn'; line: number; problem: string };

export interface JsonlReadOptions {
  /** Called with every chunk's size in bytes as it is read, for progress. */
  onBytes?(bytes: number): void;
}

/**
 * Reads JSONL line by line from a stream, holding one line at a time in memory.
 * Blank lines are skipped; CRLF line ends and a leading byte order mark are accepted.
 */
export async function* readJsonl(input: Readable, options: JsonlReadOptions = {}): AsyncGenerator<JsonlItem> {
  let endsWithNewline = true;
  let sawData = false;
  let failure: unknown = null;
  input.on('data', (chunk: Buffer | string) => {
    if (chunk.length === 0) return;
    sawData = true;
    const last = typeof chunk === 'string' ? chunk.charCodeAt(chunk.length - 1) : chunk[chunk.length - 1];
    endsWithNewline = last === 0x0a;
    options.onBytes?.(typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length);
  });
  const lines = createInterface({ input, crlfDelay: Infinity });
  // readline does not pass on read errors; remember one and stop reading.
  input.on('error', (error) => {
    failure = error;
    lines.close();
  });

  // A line that fails to parse is held back until we know whether another follows:
  // only the very last line may be torn.
  let pending: { line: number; problem: string } | null = null;
  let line = 0;
  try {
    for await (const raw of lines) {
      line++;
      if (pending) {
        yield { kind: 'invalid', ...pending };
        pending = null;
      }
      const text = line === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        pending = { line, problem: `not valid JSON (${(error as Error).message})` };
        continue;
      }
      yield { kind: 'value', line, value, text };
    }
    if (failure) throw failure;
    if (pending) {
      if (sawData && !endsWithNewline) {
        yield { kind: 'torn', line: pending.line, problem: `last line is incomplete (no newline at the end): ${pending.problem}` };
      } else yield { kind: 'invalid', ...pending };
    }
  } finally {
    // Also reached when the caller stops early: release the file.
    lines.close();
    input.destroy();
  }
}

export interface JsonlFile {
  /** Size when opened; a file still being appended to may grow while it is read. */
  size: number;
  items: AsyncGenerator<JsonlItem>;
  /** Releases the file even when `items` was never iterated to the end (or at all). */
  close(): void;
}

/** Opens a JSONL file for reading; fails right away, before any line, when it cannot be read. */
export async function openJsonlFile(path: string, options: JsonlReadOptions = {}): Promise<JsonlFile> {
  const handle = await open(path, 'r');
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw Object.assign(new Error(`${path} is a directory`), { code: 'EISDIR' });
    const stream = handle.createReadStream({ highWaterMark: 256 * 1024 });
    return { size: stat.size, items: readJsonl(stream, options), close: () => stream.destroy() };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
