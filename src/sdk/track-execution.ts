import type { Static } from 'typebox';
import type { ExecutionCreateIn, ExecutionOut, ExecutionUpdateIn } from '../modules/executions/execution-schemas.ts';

type Execution = Static<typeof ExecutionOut>;
type ExecutionCreate = Static<typeof ExecutionCreateIn>;
type ExecutionUpdate = Static<typeof ExecutionUpdateIn>;

/** What trackExecution needs of a client (HookdClient is one), so this file needs nothing of it. */
export interface ExecutionRecorder {
  createExecution(input: ExecutionCreate): Promise<Execution>;
  updateExecution(executionId: string, input: ExecutionUpdate): Promise<Execution>;
}

export interface TrackOptions {
  /** Past this, `fn`'s signal aborts, the execution is recorded TIMEOUT and the call rejects with ExecutionTimeoutError. */
  timeoutMs?: number;
  /** Aborting it cancels the run: `fn`'s signal aborts and the execution is recorded CANCELLED. */
  signal?: AbortSignal;
}

export interface TrackContext {
  executionId: string;
  /** Aborts on timeout or cancellation: pass it to fetch and the like. */
  signal: AbortSignal;
  /** Says that the hook notified someone, and how; recorded with the outcome. */
  notified(result?: Record<string, unknown>): void;
}

/** The rejection of a tracked run that outlived its `timeoutMs`. */
export class ExecutionTimeoutError extends Error {
  readonly executionId: string;
  readonly timeoutMs: number;

  constructor(executionId: string, timeoutMs: number) {
    super(`hook execution ${executionId} timed out after ${timeoutMs} ms`);
    this.name = 'ExecutionTimeoutError';
    this.executionId = executionId;
    this.timeoutMs = timeoutMs;
  }
}

type Ending =
  | { kind: 'done'; value: unknown }
  | { kind: 'failed'; error: unknown }
  | { kind: 'timeout' }
  | { kind: 'cancelled'; reason: unknown };

/** See HookdClient.trackExecution. */
export async function trackExecution<T>(
  client: ExecutionRecorder,
  hook: ExecutionCreate,
  fn: (ctx: TrackContext) => Promise<T> | T,
  options: TrackOptions = {},
): Promise<T> {
  options.signal?.throwIfAborted();
  const execution: Execution = await client.createExecution(hook);
  const started = performance.now();
  const controller = new AbortController();
  const notification: Pick<ExecutionUpdate, 'notification_sent' | 'notification_result'> = {};
  const ctx: TrackContext = {
    executionId: execution.execution_id,
    signal: controller.signal,
    notified(result) {
      notification.notification_sent = true;
      if (result !== undefined) notification.notification_result = result;
    },
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stops = new Promise<Ending>((resolve) => {
    if (options.timeoutMs !== undefined) timer = setTimeout(() => resolve({ kind: 'timeout' }), options.timeoutMs);
    if (options.signal) {
      const signal = options.signal;
      onAbort = () => resolve({ kind: 'cancelled', reason: signal.reason });
      signal.addEventListener('abort', onAbort, { once: true });
    }
  });
  const runs = (async (): Promise<Ending> => {
    try {
      return { kind: 'done', value: await fn(ctx) };
    } catch (error) {
      return { kind: 'failed', error };
    }
  })();
  const ending = await Promise.race([runs, stops]);
  clearTimeout(timer);
  if (onAbort) options.signal!.removeEventListener('abort', onAbort);
  if (ending.kind === 'timeout' || ending.kind === 'cancelled')
    controller.abort(ending.kind === 'cancelled' ? ending.reason : new ExecutionTimeoutError(execution.execution_id, options.timeoutMs!));

  const outcome: ExecutionUpdate = { ...notification, execution_time_ms: Math.round((performance.now() - started) * 1000) / 1000 };
  if (ending.kind === 'done') outcome.status = 'SUCCESS';
  else if (ending.kind === 'failed') Object.assign(outcome, { status: 'FAILED', errors: [errorRecord(ending.error)] });
  else if (ending.kind === 'timeout') Object.assign(outcome, { status: 'TIMEOUT', errors: [`timed out after ${options.timeoutMs} ms`] });
  else
    Object.assign(outcome, {
      status: 'CANCELLED',
      errors: [`cancelled: ${String((ending.reason as Error | undefined)?.message ?? ending.reason)}`],
    });

  try {
    await client.updateExecution(execution.execution_id, outcome);
  } catch (recording) {
    // fn's own failure is what the caller must see; a failed recording only when fn succeeded.
    if (ending.kind === 'done') throw recording;
  }
  if (ending.kind === 'done') return ending.value as T;
  if (ending.kind === 'failed') throw ending.error;
  if (ending.kind === 'timeout') throw new ExecutionTimeoutError(execution.execution_id, options.timeoutMs!);
  throw ending.reason;
}

/** An error as JSON the store keeps: name, message and the first lines of its stack. */
function errorRecord(error: unknown): Record<string, unknown> | string {
  if (!(error instanceof Error)) return String(error);
  return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack.split('\n').slice(0, 8).join('\n') } : {}) };
}
