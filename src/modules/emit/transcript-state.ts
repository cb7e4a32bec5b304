import { fileKey } from './file-key.ts';
import { fs } from '../../core/builtin-fs.ts';

/**
 * Where the reading of one transcript stopped: a small JSON file per transcript under
 * `$HOOKD_HOME/transcripts/`, so each Stop reads only what was appended since the last.
 */
export interface TranscriptState {
  /** The transcript this state is for (two paths may share a file name). */
  path: string;
  /** The file read up to `offset`: another inode means the file was replaced. */
  dev: number;
  ino: number;
  /** Bytes read so far, always just past a newline (or inside a line being skipped). */
  offset: number;
  /** The prompt of the last `promptId` line read: the requests that follow answer it. */
  promptId: string | null;
  /** The last run stopped inside a line longer than a run may read: drop up to the next newline. */
  skipLine: boolean;
  /**
   * Keys of requests already reported, newest last, at most MAX_REPORTED: a line read
   * again (a replaced file, a held-back request) must not report its request twice. Older
   * keys are forgotten; sending one again would be a duplicate the store ignores.
   */
  reported: string[];
}

export const STATE_DIR = 'transcripts';
export const MAX_REPORTED = 1000;

export function transcriptStateFile(home: string, transcript: string): string {
  return `${home}/${STATE_DIR}/${fileKey(transcript)}.json`;
}

/** The state saved for this transcript, or null (none, unreadable, another transcript's). */
export function readTranscriptState(file: string, transcript: string): TranscriptState | null {
  let value: Partial<TranscriptState>;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<TranscriptState>;
  } catch {
    return null;
  }
  const ok =
    value !== null &&
    typeof value === 'object' &&
    value.path === transcript &&
    isId(value.dev) &&
    isId(value.ino) &&
    isCount(value.offset) &&
    (value.promptId === null || typeof value.promptId === 'string') &&
    typeof value.skipLine === 'boolean' &&
    Array.isArray(value.reported);
  if (!ok) return null;
  return { ...(value as TranscriptState), reported: value.reported!.filter((k): k is string => typeof k === 'string') };
}

/**
 * Where this run starts: where the last one stopped, unless the file is not the one it
 * read (replaced: another inode) or is shorter than what was read (truncated, rewritten),
 * when it is read from the start. Keys already reported are kept either way.
 */
export function startingPoint(
  saved: TranscriptState | null,
  transcript: string,
  file: { dev: number; ino: number; size: number },
): TranscriptState {
  const same = saved !== null && saved.dev === file.dev && saved.ino === file.ino && saved.offset <= file.size;
  if (same) return saved;
  return { path: transcript, dev: file.dev, ino: file.ino, offset: 0, promptId: null, skipLine: false, reported: saved?.reported ?? [] };
}

/** `reported` with `keys` added, the oldest dropped past `max`. */
export function withReported(reported: readonly string[], keys: Iterable<string>, max = MAX_REPORTED): string[] {
  const all = [...reported, ...keys];
  return all.length > max ? all.slice(all.length - max) : all;
}

export function writeTranscriptState(file: string, state: TranscriptState): void {
  fs.mkdirSync(file.slice(0, file.lastIndexOf('/')), { recursive: true, mode: 0o700 });
  // A rename, so a reader that finds a stale lock and runs anyway reads a whole state.
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(state), { mode: 0o600 });
  fs.renameSync(temp, file);
}

/**
 * Removes the state files (and leftovers) of transcripts not read for `maxAgeMs`: Claude
 * Code itself deletes transcripts after 30 days by default. Returns how many went.
 */
export function pruneTranscriptStates(home: string, maxAgeMs: number, now = Date.now()): number {
  const dir = `${home}/${STATE_DIR}`;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    try {
      const stat = fs.statSync(`${dir}/${name}`);
      if (stat.isFile() && now - stat.mtimeMs > maxAgeMs) {
        fs.rmSync(`${dir}/${name}`, { force: true });
        removed++;
      }
    } catch {
      // Removed by another reader meanwhile.
    }
  }
  return removed;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

// Device and inode numbers may pass 2^53 on some file systems: stat rounds them the same way each time.
function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
