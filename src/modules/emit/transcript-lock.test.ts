import { existsSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { transcriptLock } from './transcript-lock.ts';

const dirs: string[] = [];
const stateFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookd-transcript-lock-'));
  dirs.push(dir);
  return join(dir, 'transcripts', 'abc-12.json');
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('transcriptLock', () => {
  it('lets one reader at a time in; the one turned away leaves a note for the holder', () => {
    const file = stateFile();
    const first = transcriptLock(file, 60_000);
    const second = transcriptLock(file, 60_000);
    expect(first.take()).toBe(true);
    expect(first.wanted()).toBe(false);
    expect(second.take()).toBe(false);
    expect(first.wanted()).toBe(true);
    first.release();
    // Taking the lock answers the note.
    expect(first.take()).toBe(true);
    expect(first.wanted()).toBe(false);
    first.release();
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('takes over a lock left by a reader that died', () => {
    const file = stateFile();
    expect(transcriptLock(file, 60_000).take()).toBe(true);
    const past = new Date(Date.now() - 120_000);
    utimesSync(`${file}.lock`, past, past);
    expect(transcriptLock(file, 60_000).take()).toBe(true);
    expect(transcriptLock(file, 60_000).take()).toBe(false);
  });
});
