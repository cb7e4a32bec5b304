import { createEmitLog, describeError } from '../modules/emit/emit-log.ts';
import { authWarning, openSink } from '../modules/emit/emit-service.ts';
import { emitSettings } from '../modules/emit/emit-settings.ts';
import type { EventSink } from '../modules/emit/event-sink.ts';
import { replaySpool, spoolPath } from '../modules/emit/spool.ts';
import { ConfigError } from '../errors/app-error.ts';

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
    const { sent, refused, invalid, kept } = result;
    if (sent + refused + invalid + kept === 0) {
      console.log(`spool is empty (${spoolPath(settings.home)})`);
      return;
    }
    console.log(`flushed ${sent} events to ${sink.target}: ${refused} refused, ${invalid} unreadable, ${kept} left in the spool`);
    if (kept > 0) {
      process.stderr.write(
        `hookd: ${redact(result.auth ? authWarning(result.stoppedBy ?? '', settings.token, spoolPath(settings.home), `${kept} events are`) : `stopped: ${result.stoppedBy}; ${kept} events stay in ${spoolPath(settings.home)}`, settings.token)}\n`,
      );
      process.exitCode = 1;
    }
  } finally {
    await sink.close();
  }
}

function redact(text: string, token: string | undefined): string {
  return token && token.length >= 4 ? text.split(token).join('***') : text;
}
