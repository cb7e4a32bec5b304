import { join } from 'node:path';
import { fs } from '../../core/builtin-fs.ts';
import { parseCaptured, type CapturedEvent } from './captured-event.ts';

/**
 * Dead letters: spooled events that failed MAX_ATTEMPTS times with an answer waiting does
 * not change (a 500, a refused payload), set aside in `$HOOKD_HOME/spool-dead.jsonl` so they
 * no longer cost every replay a request. Never dropped: `hookd spool` lists them and
 * `hookd spool retry --dead` puts them back into the spool with their count reset. (Not
 * named `spool.*`, so emit's cheap look for pending work does not see them.)
 */
export const DEAD_LETTER_FILE = 'spool-dead.jsonl';
export const MAX_ATTEMPTS = 3;

/** A spool line: the captured event, and what became of its earlier tries. */
export interface SpooledEvent extends CapturedEvent {
  /** Failed tries so far (answers that count towards giving up). */
  attempts?: number;
  last_error?: string;
  /** When it was set aside, epoch ms (dead letters only). */
  dead_at?: number;
}

export function deadLetterPath(home: string): string {
  return join(home, DEAD_LETTER_FILE);
}

/** The event after one more failed try. */
export function failedAgain(event: SpooledEvent, reason: string, now = Date.now()): SpooledEvent {
  const attempts = (event.attempts ?? 0) + 1;
  return { ...event, attempts, last_error: reason, ...(attempts >= MAX_ATTEMPTS ? { dead_at: now } : {}) };
}

/** Appends to the dead letters; false if they could not be written for sure. */
export function addDeadLetters(home: string, events: readonly SpooledEvent[]): boolean {
  if (events.length === 0) return true;
  try {
    fs.mkdirSync(home, { recursive: true, mode: 0o700 });
    fs.appendFileSync(deadLetterPath(home), events.map((e) => `${JSON.stringify(e)}\n`).join(''), { mode: 0o600 });
    return true;
  } catch {
    return false;
  }
}

/** The dead letters, oldest first; unreadable lines are skipped. */
export function readDeadLetters(home: string): SpooledEvent[] {
  let text: string;
  try {
    text = fs.readFileSync(deadLetterPath(home), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .map((line) => (line.trim() ? (parseCaptured(line) as SpooledEvent | null) : null))
    .filter((e): e is SpooledEvent => e !== null);
}
