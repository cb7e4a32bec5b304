import { join } from 'node:path';
import { parseCaptured } from './captured-event.ts';
import { addDeadLetters, deadLetterPath, failedAgain, MAX_ATTEMPTS, type SpooledEvent } from './dead-letters.ts';
import type { EventSink } from './event-sink.ts';
import { fs } from '../../core/builtin-fs.ts';

/**
 * The spool: events emit could not deliver, one JSON line each in `$HOOKD_HOME/spool.jsonl`.
 *
 * Many hooks append at once, each line with one O_APPEND write. One process replays at a
 * time: it claims the spool by renaming it to a name of its own (atomic), so appends that
 * come later start a fresh spool. A replayer that dies leaves its claimed file behind; the
 * next replay takes over claimed files older than CLAIM_STALE_MS. Delivery is at least
 * once: a line may be sent twice (an appender racing a claim, a takeover), never lost, and
 * the server's (session_id, event_id) key turns the second send into a duplicate.
 */
export const SPOOL_FILE = 'spool.jsonl';
export const CLAIM_STALE_MS = 60_000;
const CLAIMED = /^spool\.(\d+)\.(\d+)\.(\d+)\.replaying$/;
const BATCH = 100;
const APPEND_ATTEMPTS = 100;

let claims = 0;

export function spoolPath(home: string): string {
  return join(home, SPOOL_FILE);
}

/** Appends lines to the spool; false if they could not be written for sure. */
export function appendToSpool(home: string, lines: readonly string[]): boolean {
  if (lines.length === 0) return true;
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  const path = spoolPath(home);
  const data = Buffer.from(lines.map((line) => `${line}\n`).join(''));
  // Each failed attempt means a replayer claimed the spool within it; a slow, descheduled
  // writer may meet several in a row while hooks replay, so it tries many times.
  for (let attempt = 0; attempt < APPEND_ATTEMPTS; attempt++) {
    const fd = fs.openSync(path, 'a', 0o600);
    try {
      let offset = 0;
      while (offset < data.length) offset += fs.writeSync(fd, data, offset);
      // A replayer may have claimed (renamed) the file between our open and our write, and
      // read it before the write landed. Only if the spool path still names the file we
      // wrote is the line sure to be read; otherwise write it again to the new spool.
      const written = fs.fstatSync(fd);
      const current = fs.statSync(path, { throwIfNoEntry: false });
      if (current && current.ino === written.ino && current.dev === written.dev) return true;
    } finally {
      fs.closeSync(fd);
    }
  }
  return false;
}

/** Spool files to replay, oldest first: stale claims of dead replayers, then the spool itself. */
export function claimSpool(home: string, now = Date.now()): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(home);
  } catch {
    return [];
  }
  const stale = names
    .map((name) => ({ name, match: CLAIMED.exec(name) }))
    .filter((c) => c.match && now - Number(c.match[2]) > CLAIM_STALE_MS)
    .sort((a, b) => Number(a.match![2]) - Number(b.match![2]) || Number(a.match![3]) - Number(b.match![3]));
  const claimed: string[] = [];
  for (const from of [...stale.map((s) => s.name), ...(names.includes(SPOOL_FILE) ? [SPOOL_FILE] : [])]) {
    const to = join(home, `spool.${process.pid}.${now}.${claims++}.replaying`);
    try {
      // Of two replayers renaming the same file, one gets ENOENT: that one leaves it alone.
      fs.renameSync(join(home, from), to);
      claimed.push(to);
    } catch {
      // Claimed by someone else meanwhile.
    }
  }
  return claimed;
}

/** Lines waiting in the spool and in claims of replayers (live or dead), without claiming them. */
export function countSpooled(home: string): number {
  let names: string[];
  try {
    names = fs.readdirSync(home);
  } catch {
    return 0;
  }
  let lines = 0;
  for (const name of names) {
    if (name !== SPOOL_FILE && !CLAIMED.test(name)) continue;
    try {
      lines += fs
        .readFileSync(join(home, name), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '').length;
    } catch {
      // Claimed and removed meanwhile.
    }
  }
  return lines;
}

/** True when there is anything to replay, without claiming it. */
export function spoolPending(home: string, now = Date.now()): boolean {
  try {
    return fs.readdirSync(home).some((name) => {
      if (name === SPOOL_FILE) return true;
      const match = CLAIMED.exec(name);
      return match !== null && now - Number(match[2]) > CLAIM_STALE_MS;
    });
  } catch {
    return false;
  }
}

export interface ReplayOptions {
  log(message: string): void;
  /** Date.now() after which no further batch starts; the rest goes back to the spool. */
  deadline?: number;
}

export interface ReplayResult {
  sent: number;
  /** Failed again (a 500, a refused payload), below MAX_ATTEMPTS: back in the spool, their count raised. */
  failed: number;
  /** Failed for the MAX_ATTEMPTS-th time: moved to the dead letters (dead-letters.ts). */
  dead: number;
  /** Unreadable lines (torn by a crash mid-write): dropped. */
  invalid: number;
  /** Put back into the spool for a later replay (the failed ones included). */
  kept: number;
  /** Why the replay stopped early, when it did. */
  stoppedBy: string | null;
  /** The target refused the token. */
  auth: boolean;
}

/**
 * Claims the spool and delivers it to the sink in order; what is not delivered goes back.
 * An event that fails (an answer waiting will not change) stays behind with its count
 * raised while the replay goes on past it; at MAX_ATTEMPTS it becomes a dead letter. An
 * answer that waiting may change (an outage, overload, a refused token) stops the replay
 * and counts against nothing, so a long outage sets nothing aside.
 */
export async function replaySpool(home: string, sink: EventSink, options: ReplayOptions): Promise<ReplayResult> {
  const result: ReplayResult = { sent: 0, failed: 0, dead: 0, invalid: 0, kept: 0, stoppedBy: null, auth: false };
  const files = claimSpool(home);
  if (files.length === 0) return result;
  const pending: { line: string; event: SpooledEvent }[] = [];
  const retained: string[] = [];
  const dead: SpooledEvent[] = [];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const event = parseCaptured(line);
      if (event) pending.push({ line, event });
      else {
        result.invalid++;
        options.log(`spool: skipped an unreadable line (${line.length} bytes) in ${file}`);
      }
    }
  }

  let next = 0;
  while (next < pending.length) {
    if (options.deadline !== undefined && Date.now() > options.deadline) {
      result.stoppedBy = 'out of time for this run';
      break;
    }
    const batch = pending.slice(next, next + BATCH);
    const outcomes = await sink.send(batch.map((p) => p.event));
    let stop = false;
    for (const [i, outcome] of outcomes.entries()) {
      if (outcome.status === 'retry') {
        result.stoppedBy = outcome.reason;
        result.auth = outcome.auth === true;
        stop = true;
        break;
      }
      next++;
      if (outcome.status === 'sent') {
        result.sent++;
        continue;
      }
      const event = failedAgain(batch[i]!.event, outcome.reason);
      if (event.attempts! >= MAX_ATTEMPTS) {
        dead.push(event);
        options.log(
          `spool: gave up on event ${event.event_id} after ${event.attempts} tries, set aside in ${deadLetterPath(home)}: ${outcome.reason}`,
        );
      } else {
        retained.push(JSON.stringify(event));
        options.log(
          `spool: event ${event.event_id} failed (try ${event.attempts} of ${MAX_ATTEMPTS}), kept for another: ${outcome.reason}`,
        );
      }
    }
    if (stop || outcomes.length === 0) break;
  }

  result.failed = retained.length;
  if (!addDeadLetters(home, dead)) {
    // Not lost: back into the spool with the rest, for the next replay to set aside.
    retained.push(...dead.map((e) => JSON.stringify(e)));
    options.log(`spool: could not write ${deadLetterPath(home)}; ${dead.length} events stay in the spool`);
  } else result.dead = dead.length;
  const rest = [...retained, ...pending.slice(next).map((p) => p.line)];
  result.kept = rest.length;
  if (!putBack(home, rest, options)) {
    // Keep the claimed files: a later replay takes them over once they are stale.
    options.log(`spool: could not put ${rest.length} events back into ${spoolPath(home)}; they stay in ${files.join(', ')}`);
    return result;
  }
  for (const file of files) {
    try {
      fs.unlinkSync(file);
    } catch {
      // Taken over by another replayer after it went stale: it will send it again, harmlessly.
    }
  }
  return result;
}

function putBack(home: string, lines: readonly string[], options: ReplayOptions): boolean {
  try {
    return appendToSpool(home, lines);
  } catch (error) {
    options.log(`spool: ${(error as Error).message}`);
    return false;
  }
}

/**
 * Moves every dead letter back into the spool, its count of tries reset; the number moved.
 * The file is claimed by a rename first, so letters set aside meanwhile start a new one.
 */
export function requeueDeadLetters(home: string): number {
  const claimed = join(home, `spool-dead.${process.pid}.${Date.now()}.requeue`);
  try {
    fs.renameSync(deadLetterPath(home), claimed);
  } catch {
    return 0;
  }
  const text = fs.readFileSync(claimed, 'utf8');
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    const event = line.trim() ? (parseCaptured(line) as SpooledEvent | null) : null;
    if (!event) continue;
    const { attempts: _a, last_error: _l, dead_at: _d, ...fresh } = event;
    lines.push(JSON.stringify(fresh));
  }
  if (!appendToSpool(home, lines)) throw new Error(`could not move the dead letters into the spool; they stay in ${claimed}`);
  fs.unlinkSync(claimed);
  return lines.length;
}
