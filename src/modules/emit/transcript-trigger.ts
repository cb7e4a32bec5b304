import { setPriority } from 'node:os';
import { basename, dirname, isAbsolute } from 'node:path';
import { fs } from '../../core/builtin-fs.ts';
import type { CapturedEvent } from './captured-event.ts';
import { describeError, type EmitLog } from './emit-log.ts';
import { transcriptJobOf, type TranscriptJob } from './transcript-job.ts';
import { transcriptUsageEnabled } from './transcript-settings.ts';

/**
 * After a Stop, SubagentStop or SessionEnd of Claude Code, starts the transcript reader
 * (`hookd emit-usage`, transcript-usage.ts) as a detached process and returns: the hook's
 * answer waits for the spawn, never for the read. The reader reports the tokens of each
 * model request, which is where a session's tokens come from when telemetry is off.
 * This runs in every hook: every other event returns before touching the disk, and
 * node:child_process is loaded only to spawn.
 */
export function readTranscriptLater(event: CapturedEvent, env: NodeJS.ProcessEnv, log: EmitLog, script = process.argv[1]): void {
  const job = transcriptJobOf(event);
  if (!job || !transcriptUsageEnabled(env)) return;
  const problem = transcriptProblem(job.transcript);
  if (problem === ELSEWHERE) return;
  if (problem) {
    log(`tokens unknown for session ${job.session_id}: ${problem}`);
    return;
  }
  // The reader is the same CLI: main.js (main.ts when run from the sources).
  if (!script || !/^main\.[jt]s$/.test(basename(script))) {
    log(`tokens unknown for session ${job.session_id}: emit did not run from hookd's main.js, so it cannot start the transcript reader`);
    return;
  }
  spawnReader(process.execPath, script, job, log);
}

/** Not a problem to report: the path names a folder this machine does not have either. */
const ELSEWHERE = 'elsewhere';

/**
 * Why the transcript cannot be read, or null. A path whose folder is missing too is no
 * transcript of this machine (a payload recorded elsewhere and replayed): nothing to say.
 * A missing file in an existing folder is a transcript the agent did not keep or that was
 * removed: its tokens are unknown, and the log says so.
 */
function transcriptProblem(path: string): string | null {
  if (!isAbsolute(path) || !path.endsWith('.jsonl'))
    return `the transcript path "${path.slice(0, 300)}" is not an absolute path to a .jsonl file`;
  let stat: ReturnType<typeof fs.statSync>;
  try {
    stat = fs.statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    return `cannot read the transcript ${path}: ${describeError(error)}`;
  }
  if (stat === undefined) return fs.existsSync(dirname(path)) ? `the transcript ${path} does not exist` : ELSEWHERE;
  return stat.isFile() ? null : `the transcript ${path} is not a file`;
}

const LOWEST_PRIORITY = 19;

function spawnReader(node: string, script: string, job: TranscriptJob, log: EmitLog): void {
  const failed = (error: unknown) =>
    log(`tokens unknown for session ${job.session_id}: cannot start the transcript reader: ${describeError(error)}`);
  try {
    const { spawn } = process.getBuiltinModule('node:child_process');
    // Its own process group, no pipes to the agent, not waited for: the hook exits at once
    // and the reader outlives it.
    const child = spawn(node, [script, 'emit-usage', JSON.stringify(job)], { detached: true, stdio: 'ignore', windowsHide: true });
    child.on('error', failed);
    child.unref();
    // Background work: its start-up must not take a core from the agent or from this hook's exit.
    if (child.pid !== undefined) setPriority(child.pid, LOWEST_PRIORITY);
  } catch (error) {
    failed(error);
  }
}
