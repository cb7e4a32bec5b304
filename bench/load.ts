// Runs autocannon in a child process, so the load generator is a process of its own
// (on a 2-core machine it still shares the CPU with the server; the report says so).
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onCleanup } from './cleanup.ts';

export interface LoadSpec {
  /** e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  eventsPerRequest: number;
  connections: number;
  durationS: number;
  /** Unique per run: every event id the run sends starts with it. */
  tagPrefix: string;
  /** Distinct request bodies to cycle through. */
  variants: number;
}

/** Enough to find one request's events in the store afterwards. */
export interface RequestRef {
  sessionId: string;
  eventId: string;
  events: number;
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export interface LoadResult {
  /** Requests answered with 2xx, and the events they carried. */
  acked: number;
  ackedEvents: number;
  /** Replies by HTTP status, 2xx included. */
  statusCounts: Record<string, number>;
  errors: number;
  timeouts: number;
  durationS: number;
  requestsPerSec: number;
  eventsPerSec: number;
  /** Of 2xx replies, in ms. */
  latencyMs: LatencySummary;
  /** Sent but never answered: in flight when the run stopped, or timed out. */
  unanswered: RequestRef[];
  /** Answered with a non-2xx status (at most the first 10,000). */
  refused: RequestRef[];
  refusedTotal: number;
  /** CPU time the load generator used while loading, as a percentage of one core. */
  cpuPercent: number;
  /** All CPU time of the load-generator process, start-up included, in seconds. */
  processCpuSeconds: number;
  bodyBytes: number;
}

const GENERATOR = fileURLToPath(new URL('./load-generator.ts', import.meta.url));

/** One measurement: starts a fresh load-generator process, returns its figures. */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = fork(GENERATOR, ['--load-generator'], {
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const unregister = onCleanup(`load generator ${child.pid}`, () => {
      child.kill('SIGKILL');
    });
    let settled = false;
    const finish = (error: Error | null, result?: LoadResult) => {
      if (settled) return;
      settled = true;
      unregister();
      if (error) reject(error);
      else resolve(result!);
    };
    child.on('message', (message: { result?: LoadResult; error?: string }) => {
      if (message.error) finish(new Error(`load generator failed: ${message.error}`));
      else finish(null, message.result);
    });
    child.on('error', (error) => finish(error));
    child.on('exit', (code, signal) => {
      finish(new Error(`load generator exited (code ${code}, signal ${signal}) before reporting`));
    });
    child.send(spec);
  });
}
