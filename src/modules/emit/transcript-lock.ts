import { fs } from '../../core/builtin-fs.ts';

/**
 * One reader per transcript at a time, so two Stops in quick succession do not report the
 * same requests twice: `<state>.lock`, created with O_EXCL. A reader that died (killed,
 * the machine put to sleep) leaves its lock behind; past `staleMs` the next one takes over.
 * Two readers taking over the same stale lock at once may both read: the store's
 * (session, event id) key then turns the second report into a duplicate.
 *
 * A reader turned away leaves a note (`<state>.again`) before it tries: the holder looks
 * for one after it lets go and reads once more, so lines written for the later Stop do
 * not wait for the next one.
 */
export function transcriptLock(stateFile: string, staleMs: number) {
  const lock = `${stateFile}.lock`;
  const again = `${stateFile}.again`;
  return {
    /** True when this process now holds the lock. */
    take(): boolean {
      fs.mkdirSync(stateFile.slice(0, stateFile.lastIndexOf('/')), { recursive: true, mode: 0o700 });
      fs.writeFileSync(again, '', { mode: 0o600 });
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          fs.writeFileSync(lock, `${process.pid} ${Date.now()}\n`, { flag: 'wx', mode: 0o600 });
          // Whatever the note asked for, this read does.
          fs.rmSync(again, { force: true });
          return true;
        } catch (error) {
          if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
        }
        const held = fs.statSync(lock, { throwIfNoEntry: false });
        if (held && Date.now() - held.mtimeMs <= staleMs) return false;
        fs.rmSync(lock, { force: true });
      }
      return false;
    },
    release(): void {
      fs.rmSync(lock, { force: true });
    },
    /** A reader was turned away since this one took the lock. */
    wanted(): boolean {
      return fs.existsSync(again);
    },
  };
}

export type TranscriptLock = ReturnType<typeof transcriptLock>;
