import { fs } from '../../core/builtin-fs.ts';
import type { CapturedEvent } from './captured-event.ts';
import { failedAgain, MAX_ATTEMPTS } from './dead-letters.ts';
import { describeError, type EmitLog } from './emit-log.ts';
import type { EmitSettings } from './emit-settings.ts';
import type { OpenSink } from './emit-service.ts';
import type { EventSink } from './event-sink.ts';
import { appendToSpool, spoolPath } from './spool.ts';
import type { TranscriptJob } from './transcript-job.ts';
import { transcriptLock } from './transcript-lock.ts';
import { readTranscript, type TranscriptRead, type TranscriptRequest } from './transcript-reader.ts';
import type { TranscriptSettings } from './transcript-settings.ts';
import {
  pruneTranscriptStates,
  readTranscriptState,
  startingPoint,
  transcriptStateFile,
  withReported,
  writeTranscriptState,
} from './transcript-state.ts';

export interface TranscriptUsageOptions {
  settings: EmitSettings;
  transcript: TranscriptSettings;
  env: NodeJS.ProcessEnv;
  log: EmitLog;
  openSink: OpenSink;
  /**
   * How long to wait before reading. Claude Code may fire Stop (and SubagentStop) before
   * it has flushed the turn's last lines to the transcript (anthropics/claude-code#15813,
   * #40655: the final block appeared within 1.5 s); a request read half-written would be
   * reported with its output count of then.
   */
  settleMs?: number;
}

export const SETTLE_MS = 2000;
/** As emit's spool replays: one transaction, or one stretch of requests, per batch. */
const BATCH = 100;
/** State files of transcripts not read for this long are removed (Claude Code keeps transcripts 30 days by default). */
const STATE_MAX_AGE_MS = 30 * 24 * 3600 * 1000;

/**
 * `hookd emit-usage`: reads what was appended to a Claude Code transcript since the last
 * read and reports the tokens of each model request as a `hookd.usage` event, through the
 * sink `hookd emit` uses (the server at HOOKD_URL, else the SQLite file; the spool when
 * the target is down). Bounded by HOOKD_TRANSCRIPT_MAX_BYTES and HOOKD_TRANSCRIPT_MAX_MS:
 * the next Stop goes on where this one stopped. Never throws for the transcript's sake;
 * what goes wrong is one line in emit.log.
 */
export async function reportTranscriptUsage(job: TranscriptJob, options: TranscriptUsageOptions): Promise<void> {
  const { settings, transcript: limits, log } = options;
  for (const problem of limits.problems) log(problem);
  await new Promise((resolve) => setTimeout(resolve, options.settleMs ?? SETTLE_MS));
  const deadline = Date.now() + limits.maxMs;
  const budget = { bytes: limits.maxBytes, deadline };
  const stateFile = transcriptStateFile(settings.home, job.transcript);
  // The longest a live reader can hold the lock: its read, its delivery, its start-up.
  const lock = transcriptLock(stateFile, 2 * (limits.maxMs + Math.max(settings.timeoutMs, limits.maxMs)) + 30_000);
  while (Date.now() <= deadline && budget.bytes > 0) {
    if (!lock.take()) return;
    try {
      if (!(await readOnce(job, stateFile, budget, options))) return;
    } finally {
      lock.release();
    }
    if (!lock.wanted()) break;
  }
  if (job.hook === 'SessionEnd') pruneTranscriptStates(settings.home, STATE_MAX_AGE_MS);
}

/** One read and its delivery; false when nothing more can be done this run. */
async function readOnce(
  job: TranscriptJob,
  stateFile: string,
  budget: { bytes: number; deadline: number },
  options: TranscriptUsageOptions,
): Promise<boolean> {
  const { log } = options;
  let fd: number;
  try {
    fd = fs.openSync(job.transcript, 'r');
  } catch (error) {
    log(`tokens unknown for session ${job.session_id}: cannot read the transcript ${job.transcript}: ${describeError(error)}`);
    return false;
  }
  let read: TranscriptRead;
  let size: number;
  let start: number;
  let fresh: boolean;
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) {
      log(`tokens unknown for session ${job.session_id}: the transcript ${job.transcript} is not a file`);
      return false;
    }
    size = stat.size;
    const saved = readTranscriptState(stateFile, job.transcript);
    const from = startingPoint(saved, job.transcript, stat);
    fresh = saved !== null && from !== saved;
    start = from.offset;
    read = readTranscript(fd, size, from, { maxBytes: budget.bytes, deadline: budget.deadline });
  } catch (error) {
    log(`tokens unknown for session ${job.session_id}: reading the transcript ${job.transcript} failed: ${describeError(error)}`);
    return false;
  } finally {
    fs.closeSync(fd);
  }
  budget.bytes -= read.bytes;

  const events = read.requests.map((request) => usageEvent(job, request));
  if (!(await deliver(events, job, options))) {
    log(`the transcript ${job.transcript} will be read again from byte ${start} by the next Stop`);
    return false;
  }
  writeTranscriptState(stateFile, {
    ...read.state,
    reported: withReported(
      read.state.reported,
      read.requests.map((r) => r.key),
    ),
  });
  const notes = notesOf(read, size, fresh, options.transcript);
  if (notes.length > 0)
    log(`transcript ${job.transcript} of session ${job.session_id}: ${events.length} requests reported; ${notes.join('; ')}`);
  return read.stoppedBy === 'end';
}

/** What the log says of a read, when anything is worth saying. */
function notesOf(read: TranscriptRead, size: number, fresh: boolean, limits: TranscriptSettings): string[] {
  const notes: string[] = [];
  if (fresh) notes.push('the file was replaced or truncated since the last read, so it was read from the start');
  if (read.malformed > 0) notes.push(`skipped ${read.malformed} lines that are not JSON`);
  if (read.unkeyed > 0) notes.push(`skipped ${read.unkeyed} usage lines with neither a request nor a message id`);
  if (read.overlong > 0) notes.push(`skipped ${read.overlong} lines longer than HOOKD_TRANSCRIPT_MAX_BYTES`);
  if (read.partial > 0) notes.push(`a half-written last line (${read.partial} bytes) waits for the next read`);
  if (read.stoppedBy === 'bytes')
    notes.push(
      `read ${read.bytes} bytes (HOOKD_TRANSCRIPT_MAX_BYTES=${limits.maxBytes}), ${size - read.state.offset} left for the next Stop`,
    );
  if (read.stoppedBy === 'time')
    notes.push(`stopped after ${limits.maxMs} ms (HOOKD_TRANSCRIPT_MAX_MS), ${size - read.state.offset} bytes left for the next Stop`);
  return notes;
}

/** A request as the event `hookd.usage` (canonical `usage_reported`): counts only, never content. */
export function usageEvent(job: TranscriptJob, request: TranscriptRequest): CapturedEvent {
  const event: CapturedEvent = {
    source: job.source,
    // Stable, so a request sent twice (a replaced file read again, a stale lock taken
    // over) is a duplicate the store ignores.
    event_id: `transcript:${request.requestId ?? request.messageId}`,
    timestamp: request.timestamp ?? Date.now(),
    context: job.context,
    payload: {
      hook_event_name: 'hookd.usage',
      session_id: job.session_id,
      origin: 'transcript',
      request_id: request.requestId,
      prompt_id: request.promptId,
      model: request.model,
      input_tokens: request.inputTokens,
      output_tokens: request.outputTokens,
      cache_read_tokens: request.cacheReadTokens,
      cache_creation_tokens: request.cacheCreationTokens,
      transcript_path: job.transcript,
    },
  };
  if (job.user) event.user = job.user;
  if (job.host) event.host = job.host;
  if (job.team) event.team = job.team;
  return event;
}

/**
 * Sends the events in batches; what is not stored goes to emit's spool, as emit's own
 * events do (a failed one with its try counted). True when every event was stored or
 * spooled. The payloads hold counts and a path, nothing HOOKD_CAPTURE would redact, so
 * unlike emit this does not load the capture policy before spooling.
 */
async function deliver(events: CapturedEvent[], job: TranscriptJob, options: TranscriptUsageOptions): Promise<boolean> {
  if (events.length === 0) return true;
  const { settings } = options;
  const failed: string[] = [];
  let next = 0;
  let stopped: string | null = null;
  let sink: EventSink | null = null;
  try {
    sink = await options.openSink(settings, options.env, Date.now() + Math.max(settings.timeoutMs, options.transcript.maxMs));
    while (next < events.length && stopped === null) {
      const results = await sink.send(events.slice(next, next + BATCH));
      if (results.length === 0) stopped = 'not sent';
      for (const result of results) {
        if (result.status === 'retry') {
          stopped = result.reason;
          break;
        }
        if (result.status === 'failed') {
          options.log(
            `${result.reason}; usage event ${events[next]!.event_id} of session ${job.session_id} failed (try 1 of ${MAX_ATTEMPTS}), spooled`,
          );
          failed.push(JSON.stringify(failedAgain(events[next]!, result.reason)));
        }
        next++;
      }
    }
  } catch (error) {
    stopped = sink ? describeError(error) : `cannot open the database: ${describeError(error)}`;
  } finally {
    await sink?.close();
  }
  const rest = events.slice(next).map((event) => JSON.stringify(event));
  if (failed.length + rest.length === 0) return true;
  let kept = false;
  try {
    kept = appendToSpool(settings.home, [...failed, ...rest]);
  } catch (error) {
    options.log(`could not write the spool ${spoolPath(settings.home)}: ${describeError(error)}`);
  }
  if (kept && rest.length > 0)
    options.log(`${stopped}; ${rest.length} usage events of session ${job.session_id} spooled to ${spoolPath(settings.home)}`);
  if (!kept) options.log(`${failed.length + rest.length} usage events of session ${job.session_id} could not be stored nor spooled`);
  return kept;
}
