import { createEmitLog, describeError } from '../modules/emit/emit-log.ts';
import { authWarning } from '../modules/emit/emit-service.ts';
import { openSink } from '../runtime/emit-sink.ts';
import { emitSettings } from '../modules/emit/emit-settings.ts';
import type { EventSink } from '../modules/emit/event-sink.ts';
import { countSpooled, replaySpool, requeueDeadLetters, spoolPath } from '../modules/emit/spool.ts';
import { deadLetterPath, readDeadLetters, type SpooledEvent } from '../modules/emit/dead-letters.ts';
import { oneLine, printJson, printTable, shortTime, truncate, type Column } from './output.ts';
import { ConfigError } from '../core/app-error.ts';

/**
 * `hookd spool flush`: replays what `hookd emit` could not deliver, now, to the same
 * target emit uses (HOOKD_URL, else the local SQLite file), with emit's HOOKD_-only
 * settings. Unlike emit it is run by a person, so it prints what it did.
 */
export async function spoolFlush(): Promise<void> {
  const settings = emitSettings(process.env);
  for (const problem of settings.problems) process.stderr.write(`hookd: ${problem}\n`);
  const emitLog = createEmitLog(settings.home, [settings.token]);
  // Refused and unreadable lines are named on stderr and, as emit does, in emit.log.
  const log = (message: string) => {
    emitLog(message);
    process.stderr.write(`hookd: ${redact(message, settings.token)}\n`);
  };
  let sink: EventSink;
  try {
    sink = await openSink(settings, process.env);
  } catch (error) {
    throw new ConfigError(`cannot open the target for the spool: ${describeError(error)}`);
  }
  try {
    const result = await replaySpool(settings.home, sink, { log });
    const { sent, failed, dead, invalid, kept } = result;
    if (sent + dead + invalid + kept === 0) {
      console.log(`spool is empty (${spoolPath(settings.home)})`);
      return;
    }
    console.log(
      `flushed ${sent} events to ${sink.target}: ${failed} failed again, ${dead} set aside in ${deadLetterPath(settings.home)}, ` +
        `${invalid} unreadable, ${kept} left in the spool`,
    );
    if (kept > failed) {
      process.stderr.write(
        `hookd: ${redact(result.auth ? authWarning(result.stoppedBy ?? '', settings.token, spoolPath(settings.home), `${kept} events are`) : `stopped: ${result.stoppedBy}; ${kept} events stay in ${spoolPath(settings.home)}`, settings.token)}\n`,
      );
    }
    if (kept > 0 || dead > 0) process.exitCode = 1;
  } finally {
    await sink.close();
  }
}

/** `hookd spool`: what waits in the spool, and every dead letter with why it was set aside. */
export async function spoolStatus(options: { json?: boolean }): Promise<void> {
  const settings = emitSettings(process.env);
  const waiting = countSpooled(settings.home);
  const dead = readDeadLetters(settings.home);
  if (options.json) {
    printJson({ spool: spoolPath(settings.home), waiting, dead_letters_file: deadLetterPath(settings.home), dead_letters: dead });
    return;
  }
  console.log(
    `${waiting} events waiting in ${spoolPath(settings.home)}${waiting > 0 ? " (delivered by the next hook, or 'hookd spool flush')" : ''}`,
  );
  if (dead.length === 0) {
    console.log(`no dead letters (${deadLetterPath(settings.home)})`);
    return;
  }
  console.log(`${dead.length} dead letters in ${deadLetterPath(settings.home)} ('hookd spool retry --dead' sends them again):`);
  printTable(DEAD_COLUMNS, dead);
}

/** `hookd spool retry --dead`: the dead letters back into the spool, then a flush. */
export async function spoolRetryDead(): Promise<void> {
  const settings = emitSettings(process.env);
  const moved = requeueDeadLetters(settings.home);
  console.log(`moved ${moved} dead letters back into ${spoolPath(settings.home)}`);
  await spoolFlush();
}

const DEAD_COLUMNS: Column<SpooledEvent>[] = [
  { header: 'set aside', value: (e) => (e.dead_at ? shortTime(new Date(e.dead_at).toISOString()) : '') },
  { header: 'event', value: (e) => e.event_id },
  { header: 'source', value: (e) => e.source },
  { header: 'hook', value: (e) => (typeof e.payload.hook_event_name === 'string' ? e.payload.hook_event_name : '') },
  { header: 'session', value: (e) => (typeof e.payload.session_id === 'string' ? e.payload.session_id : '') },
  { header: 'tries', value: (e) => String(e.attempts ?? 0) },
  { header: 'last error', value: (e) => truncate(oneLine(e.last_error ?? ''), 100) },
];

function redact(text: string, token: string | undefined): string {
  return token && token.length >= 4 ? text.split(token).join('***') : text;
}
