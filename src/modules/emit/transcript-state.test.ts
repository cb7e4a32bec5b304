import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MAX_REPORTED,
  pruneTranscriptStates,
  readTranscriptState,
  STATE_DIR,
  startingPoint,
  type TranscriptState,
  transcriptStateFile,
  withReported,
  writeTranscriptState,
} from './transcript-state.ts';

const homes: string[] = [];
const newHome = () => {
  const home = mkdtempSync(join(tmpdir(), 'hookd-transcript-state-'));
  homes.push(home);
  return home;
};
afterEach(() => {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

const PATH = '/home/ana/.claude/projects/-home-ana-src-billing/5e55a1b2.jsonl';
const state = (extra: Partial<TranscriptState> = {}): TranscriptState => ({
  path: PATH,
  dev: 64769,
  ino: 2_240_124,
  offset: 5966,
  promptId: 'p-2',
  skipLine: false,
  reported: ['msg_01A:req_011A'],
  ...extra,
});

describe('transcript state', () => {
  it('is kept in a file per transcript under $HOOKD_HOME/transcripts, and read back', () => {
    const home = newHome();
    const file = transcriptStateFile(home, PATH);
    expect(file.startsWith(join(home, STATE_DIR))).toBe(true);
    expect(transcriptStateFile(home, `${PATH}x`)).not.toBe(file);
    expect(readTranscriptState(file, PATH)).toBeNull();
    writeTranscriptState(file, state());
    expect(readTranscriptState(file, PATH)).toEqual(state());
    // Nothing left behind by the rename.
    expect(readdirSync(join(home, STATE_DIR))).toHaveLength(1);
  });

  it("reads another transcript's state, or a damaged one, as none", () => {
    const home = newHome();
    const file = transcriptStateFile(home, PATH);
    writeTranscriptState(file, state({ path: '/elsewhere.jsonl' }));
    expect(readTranscriptState(file, PATH)).toBeNull();
    for (const text of ['{', '[]', 'null', JSON.stringify({ ...state(), offset: -1 }), JSON.stringify({ ...state(), reported: 'x' })]) {
      writeFileSync(file, text);
      expect(readTranscriptState(file, PATH)).toBeNull();
    }
  });

  it('goes on where it stopped while the file is the same one, and starts over when it was replaced or truncated', () => {
    const saved = state();
    expect(startingPoint(saved, PATH, { dev: saved.dev, ino: saved.ino, size: 9000 })).toBe(saved);
    expect(startingPoint(saved, PATH, { dev: saved.dev, ino: saved.ino, size: saved.offset })).toBe(saved);
    const fresh = { path: PATH, offset: 0, promptId: null, skipLine: false, reported: saved.reported };
    // Replaced (another inode), truncated (shorter than what was read): the keys reported stay.
    expect(startingPoint(saved, PATH, { dev: saved.dev, ino: 99, size: 9000 })).toEqual({ ...fresh, dev: saved.dev, ino: 99 });
    expect(startingPoint(saved, PATH, { dev: saved.dev, ino: saved.ino, size: 100 })).toEqual({ ...fresh, dev: saved.dev, ino: saved.ino });
    expect(startingPoint(null, PATH, { dev: 1, ino: 2, size: 3 })).toEqual({ ...fresh, dev: 1, ino: 2, reported: [] });
  });

  it('keeps the newest reported keys, at most MAX_REPORTED', () => {
    expect(withReported(['a', 'b'], ['c'])).toEqual(['a', 'b', 'c']);
    expect(withReported(['a', 'b', 'c'], ['d', 'e'], 3)).toEqual(['c', 'd', 'e']);
    const many = Array.from({ length: MAX_REPORTED + 10 }, (_, i) => `k${i}`);
    const kept = withReported([], many);
    expect(kept).toHaveLength(MAX_REPORTED);
    expect(kept.at(-1)).toBe(`k${MAX_REPORTED + 9}`);
  });

  it('prunes the files of transcripts not read for a long time', () => {
    const home = newHome();
    const old = transcriptStateFile(home, '/old.jsonl');
    const recent = transcriptStateFile(home, '/recent.jsonl');
    writeTranscriptState(old, state({ path: '/old.jsonl' }));
    writeTranscriptState(recent, state({ path: '/recent.jsonl' }));
    const longAgo = new Date(Date.now() - 40 * 24 * 3600 * 1000);
    utimesSync(old, longAgo, longAgo);
    expect(pruneTranscriptStates(home, 30 * 24 * 3600 * 1000)).toBe(1);
    expect([existsSync(old), existsSync(recent)]).toEqual([false, true]);
    expect(pruneTranscriptStates(newHome(), 1)).toBe(0);
  });
});
