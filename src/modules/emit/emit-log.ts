import { join } from 'node:path';
import { fs } from '../../core/builtin-fs.ts';

export type EmitLog = (message: string) => void;

export const EMIT_LOG_FILE = 'emit.log';

/**
 * emit's only voice: Claude Code reads a hook's stdout and stderr, so emit writes nothing
 * there and says what went wrong in `$HOOKD_HOME/emit.log`, one line each. Any secret
 * handed in (the token) is blanked out of every line before it is written.
 */
export function createEmitLog(home: string, secrets: readonly (string | undefined)[] = []): EmitLog {
  const hidden = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  const path = join(home, EMIT_LOG_FILE);
  let madeHome = false;
  return (message) => {
    let text = message.replace(/[\r\n]+/g, ' ').trim();
    for (const secret of hidden) text = text.split(secret).join('***');
    const line = `${new Date().toISOString()} pid=${process.pid} ${text}\n`;
    try {
      if (!madeHome) {
        fs.mkdirSync(home, { recursive: true, mode: 0o700 });
        madeHome = true;
      }
      // One write per line with O_APPEND: lines from concurrent hooks do not interleave.
      fs.appendFileSync(path, line, { mode: 0o600 });
    } catch {
      // Nowhere left to report to; a hook must never fail because its log cannot be written.
    }
  };
}

/** An error as one short log phrase, without a stack. */
export function describeError(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown } | null;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  return typeof e?.code === 'string' && !message.includes(e.code) ? `${message} (${e.code})` : message;
}
