import { captureEvent, SOURCE_PATTERN, type CapturedEvent } from './captured-event.ts';
import { describeError, type EmitLog } from './emit-log.ts';
import type { EmitSettings } from './emit-settings.ts';
import type { EventSink, SendResult } from './event-sink.ts';
import { fs } from '../../core/builtin-fs.ts';
import { jsonProblem } from '../../core/json-guard.ts';
import { needsPairing, pairToolCall } from './tool-call-pairing.ts';
import { readTranscriptLater } from './transcript-trigger.ts';
import type { ReplayResult } from './spool.ts';

// spool.ts is loaded only when there is something to spool or replay.
const loadSpool = () => import('./spool.ts');

export interface EmitOptions {
  source: string;
  settings: EmitSettings;
  env: NodeJS.ProcessEnv;
  log: EmitLog;
  /**
   * When the agent fired the hook (epoch ms), the event's time: `hookd emit` passes its
   * process's start, since asynchronous hooks run side by side and Node's start-up (tens of
   * ms, varying) would otherwise reorder events fired a few ms apart. Default: now.
   */
  firedAt?: number;
  /** The store for these settings (runtime/emit-sink.ts: HTTP or the SQLite file). */
  openSink: OpenSink;
}

export type OpenSink = (settings: EmitSettings, env: NodeJS.ProcessEnv, deadline?: number) => Promise<EventSink>;

/**
 * One hook event from stdin to its store: the server at HOOKD_URL, else the local SQLite
 * file. What cannot be delivered now goes to the spool; after a delivery the spool is
 * replayed, within the same time budget. Never throws for the event's sake: every
 * problem ends up in the log.
 */
export async function runEmit(input: string, options: EmitOptions): Promise<void> {
  const { settings, log } = options;
  for (const problem of settings.problems) log(problem);
  if (!SOURCE_PATTERN.test(options.source)) {
    log(`--source must be 1-100 characters of a-z, 0-9, ".", "_" or "-" (got "${options.source.slice(0, 100)}"); event dropped`);
    return;
  }
  const payload = parsePayload(input, log, settings.maxDataDepth);
  if (!payload) return;
  const event = captureEvent({ source: options.source, payload, env: options.env, now: options.firedAt ?? Date.now() });
  if (needsPairing(payload)) {
    try {
      pairToolCall(settings.home, event);
    } catch (error) {
      log(`could not pair the tool call of ${describe(event)}: ${describeError(error)}`);
    }
  }

  // One budget for everything below (waiting for a locked file, a slow server, the replay):
  // past it the event is spooled and the hook returns. Date.now(), not performance.now():
  // the `performance` global loads perf_hooks, start-up time every hook would pay.
  const opening = Date.now();
  const deadline = opening + settings.timeoutMs;
  let sink: EventSink;
  try {
    sink = await options.openSink(settings, options.env, deadline);
  } catch (error) {
    const ms = Math.round(Date.now() - opening);
    await spool(event, { status: 'retry', reason: `cannot open the database (${ms} ms): ${describeError(error)}` }, options);
    readTranscriptLater(event, options.env, log);
    return;
  }
  try {
    const [result] = await sink.send([event]);
    if (!result || result.status === 'retry') await spool(event, result ?? { status: 'retry', reason: 'not sent' }, options);
    else if (result.status === 'failed') await spool(event, result, options);
    else if (maySpool(settings.home) && (await loadSpool()).spoolPending(settings.home)) {
      // The target is back: deliver what waited, oldest first, in what is left of the budget.
      const { replaySpool, spoolPath } = await loadSpool();
      logReplay(await replaySpool(settings.home, sink, { log, deadline }), sink.target, spoolPath(settings.home), options);
    }
  } finally {
    await sink.close();
  }
  // Last, once the event is stored or spooled: the hook's answer waits only for a spawn.
  readTranscriptLater(event, options.env, log);
}

function parsePayload(input: string, log: EmitLog, maxDataDepth: number): Record<string, unknown> | null {
  if (input.trim() === '') {
    log('stdin was empty: no hook event to store');
    return null;
  }
  let payload: unknown;
  try {
    payload = JSON.parse(input);
  } catch (error) {
    log(`stdin is not JSON (${describeError(error)}; ${input.length} characters); nothing stored`);
    return null;
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    log(
      `stdin is JSON but not an object (${Array.isArray(payload) ? 'array' : typeof payload}); a hook payload must be an object; nothing stored`,
    );
    return null;
  }
  // Before anything walks it recursively (the capture policy, JSON.stringify), which a payload
  // thousands of levels deep would overflow; every storage refuses it past the same depth.
  const problem = jsonProblem(payload, maxDataDepth);
  if (problem) {
    log(`stdin ${problem.field}: ${problem.message} (HOOKD_MAX_DATA_DEPTH); every hookd refuses it; nothing stored`);
    return null;
  }
  return payload as Record<string, unknown>;
}

/** A cheap look before loading spool.ts: every file it keeps is named `spool.*`. */
function maySpool(home: string): boolean {
  try {
    return fs.readdirSync(home).some((name) => name.startsWith('spool.'));
  } catch {
    return false;
  }
}

/**
 * Keeps the event for a later replay. A failed event (an answer waiting will not change)
 * is kept too, its first try counted: the replays try it again and set it aside after
 * MAX_ATTEMPTS (dead-letters.ts), so nothing emit was given is ever dropped.
 */
async function spool(event: CapturedEvent, result: SendResult & { status: 'retry' | 'failed' }, options: EmitOptions): Promise<void> {
  const [{ appendToSpool, spoolPath }, { failedAgain, MAX_ATTEMPTS }] = await Promise.all([loadSpool(), import('./dead-letters.ts')]);
  const path = spoolPath(options.settings.home);
  let kept = false;
  try {
    const line = await asKept(event, options.env);
    kept = appendToSpool(options.settings.home, [JSON.stringify(result.status === 'failed' ? failedAgain(line, result.reason) : line)]);
  } catch (error) {
    options.log(`could not write the spool ${path}: ${describeError(error)}`);
  }
  if (!kept) {
    options.log(`EVENT LOST: ${describe(event)} could not be delivered (${result.reason}) nor spooled to ${path}`);
    return;
  }
  if (result.status === 'retry' && result.auth)
    options.log(authWarning(result.reason, options.settings.token, path, `${describe(event)} is`));
  else if (result.status === 'failed')
    options.log(`${result.reason}; ${describe(event)} failed (try 1 of ${MAX_ATTEMPTS}), spooled to ${path} for another`);
  else options.log(`${result.reason}; ${describe(event)} spooled to ${path}`);
}

/**
 * The event as the capture policy of this emit (HOOKD_CAPTURE, HOOKD_MAX_FIELD_BYTES) keeps
 * it: the spool is a file on disk too, so a secret is redacted before it is written, not
 * only when the event is finally stored. Loaded only when something is spooled.
 */
async function asKept(event: CapturedEvent, env: NodeJS.ProcessEnv): Promise<CapturedEvent> {
  const [{ loadConfig }, { keptByCapturePolicy }] = await Promise.all([
    import('../../core/config.ts'),
    import('../capture/capture-policy.ts'),
  ]);
  const payload = keptByCapturePolicy(event.payload, loadConfig(env, {}, { prefixedOnly: true }).limits.capture);
  return payload === event.payload ? event : { ...event, payload };
}

function logReplay(result: ReplayResult, target: string, path: string, options: EmitOptions): void {
  const { sent, failed, dead, kept, invalid } = result;
  if (sent + dead + kept + invalid === 0) return;
  const stopped = result.stoppedBy ? `; stopped: ${result.stoppedBy}` : '';
  options.log(
    `spool: replayed ${sent} events to ${target} (${failed} failed again, ${dead} set aside, ${invalid} unreadable, ${kept} kept for later${stopped})`,
  );
  if (result.auth) options.log(authWarning(result.stoppedBy ?? '', options.settings.token, path, `${kept} events are`));
}

/** Loud on purpose: a wrong token is the one mistake that would otherwise go unnoticed. */
export function authWarning(reason: string, token: string | undefined, spoolFile: string, what: string): string {
  const problem = token ? 'HOOKD_TOKEN is wrong (not a valid token with the ingest scope)' : 'HOOKD_TOKEN is missing';
  return (
    `AUTHENTICATION FAILED: ${problem}: ${reason}. ${what} kept in the spool ${spoolFile}, ` +
    'never dropped: set HOOKD_TOKEN to a token with the ingest scope (hookd token create --scope ingest), then run `hookd spool flush`'
  );
}

function describe(event: CapturedEvent): string {
  const name = typeof event.payload.hook_event_name === 'string' ? `${event.payload.hook_event_name} ` : '';
  const session = typeof event.payload.session_id === 'string' ? ` of session ${event.payload.session_id}` : '';
  return `event ${event.event_id} (${name}${event.source}${session})`;
}
