import { createEmitLog, describeError, type EmitLog } from '../modules/emit/emit-log.ts';
import { emitSettings } from '../modules/emit/emit-settings.ts';
import { parseTranscriptJob } from '../modules/emit/transcript-job.ts';
import { transcriptSettings } from '../modules/emit/transcript-settings.ts';
import { reportTranscriptUsage } from '../modules/emit/transcript-usage.ts';
import { openSink } from '../runtime/emit-sink.ts';

// `hookd emit-usage JOB`: the transcript reader `hookd emit` starts, detached, after a
// Stop, SubagentStop or SessionEnd (modules/emit/transcript-trigger.ts). Not a command
// anyone types, so not in the help; main.ts calls it before loading commander. It has no
// terminal and nobody waits for it: everything it has to say goes to emit.log.

export async function emitUsageCommand(args: readonly string[]): Promise<void> {
  const settings = emitSettings(process.env);
  const log = createEmitLog(settings.home, [settings.token]);
  keepQuiet(log);
  // emit logged the settings' problems already; the reader only adds its own.
  const job = args.length === 1 ? parseTranscriptJob(args[0]!) : null;
  if (!job) {
    log(`emit-usage takes one JSON argument, the job hookd emit hands it (got ${args.length} arguments); nothing read`);
    return;
  }
  try {
    await reportTranscriptUsage(job, { settings, transcript: transcriptSettings(process.env), env: process.env, log, openSink });
  } catch (error) {
    log(`tokens unknown for session ${job.session_id}: reading the transcript ${job.transcript} failed: ${describeError(error)}`);
  }
}

function keepQuiet(log: EmitLog): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => log(`node warning: ${warning.name}: ${warning.message}`));
  const bail = (error: unknown) => {
    log(`transcript reader failed: ${describeError(error)}`);
    process.exit(0);
  };
  process.on('uncaughtException', bail);
  process.on('unhandledRejection', bail);
}
