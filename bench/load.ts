// The load generator, always a process of its own (on a 2-core machine it still shares the
// CPU with the server; the report says so): wrk where installed, else autocannon.
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onCleanup } from './cleanup.ts';
import { runWrk } from './wrk-load.ts';

export type LoadGeneratorName = 'wrk' | 'autocannon';

export interface LoadGenerator {
  name: LoadGeneratorName;
  /** For the report: what it is and why it was chosen. */
  description: string;
}

const DESCRIPTIONS: Record<LoadGeneratorName, string> = {
  wrk: 'wrk (C, one thread, epoll; Lua script gives every request a fresh event id)',
  autocannon: 'autocannon (one Node process, its own event loop; keeps the id of every request)',
};

/** BENCH_LOAD_GENERATOR picks one; by default wrk, the lighter, when it is installed. */
export function chooseLoadGenerator(wanted: string | undefined): LoadGenerator {
  const wrkInstalled = spawnSync('wrk', ['-v'], { stdio: 'ignore' }).error === undefined;
  if (wanted === 'autocannon') return { name: 'autocannon', description: DESCRIPTIONS.autocannon };
  if (wanted === 'wrk' || wanted === undefined || wanted === '') {
    if (wrkInstalled) return { name: 'wrk', description: DESCRIPTIONS.wrk };
    if (wanted === 'wrk') throw new Error('BENCH_LOAD_GENERATOR=wrk but wrk is not installed (apt-get install wrk)');
    console.log('wrk is not installed (apt-get install wrk): using autocannon, which leaves the server less CPU');
    return { name: 'autocannon', description: DESCRIPTIONS.autocannon };
  }
  throw new Error(`BENCH_LOAD_GENERATOR must be wrk or autocannon (got "${wanted}")`);
}

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
  /** A steady rate instead of as fast as possible (autocannon only: wrk has no rate). */
  requestsPerSecond?: number;
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
  /** Events of unanswered requests whose ids the generator does not know (wrk). */
  unansweredUnidentifiedEvents: number;
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
export function runLoad(generator: LoadGenerator, spec: LoadSpec): Promise<LoadResult> {
  return generator.name === 'wrk' && spec.requestsPerSecond === undefined ? runWrk(spec) : runAutocannon(spec);
}

function runAutocannon(spec: LoadSpec): Promise<LoadResult> {
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
