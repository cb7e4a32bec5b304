import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { JobClaim, ScheduledJobStore } from './scheduled-jobs.ts';

/**
 * Longest a run may hold its job. A claimer that dies keeps the job from running for at
 * most this long; a run that outlives it may see a second one start beside it, which the
 * jobs tolerate (both recompute the same rows).
 */
export const JOB_LEASE_MS = 10 * 60_000;

export interface ScheduledJob {
  name: string;
  /** Time between the starts of two runs. */
  intervalMs: number;
  /** One run; resolves with the watermark to keep for the next one and a line saying what it did. */
  run(claim: JobClaim): Promise<{ watermark: number | null; result: string }>;
}

export type JobOutcome = { ran: false } | { ran: true; result: string } | { ran: true; error: unknown };

/** A name no other process uses: host, pid and a random part (pids repeat across containers). */
export function jobOwner(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

/**
 * Runs the job once if it is due and no other process holds it. A failed run keeps the
 * previous watermark, so the next run covers what this one missed.
 */
export async function runJobIfDue(store: ScheduledJobStore, job: ScheduledJob, owner: string, now = Date.now()): Promise<JobOutcome> {
  await store.ensure(job.name, now);
  const claim = await store.claim(job.name, owner, now, JOB_LEASE_MS);
  if (!claim) return { ran: false };
  const nextRunAt = claim.claimedAt + job.intervalMs;
  try {
    const { watermark, result } = await job.run(claim);
    await store.complete(claim, { nextRunAt, watermark, finishedAt: Date.now(), result, error: null });
    return { ran: true, result };
  } catch (error) {
    const reason = (error as { code?: string }).code ?? (error instanceof Error ? error.name : 'error');
    await store
      .complete(claim, { nextRunAt, watermark: claim.watermark, finishedAt: Date.now(), result: null, error: `failed: ${reason}` })
      .catch(() => false);
    return { ran: true, error };
  }
}

export interface JobSchedulerOptions {
  owner?: string;
  onError(what: string, error: unknown): void;
  onRun?(name: string, result: string): void;
}

export interface JobScheduler {
  /** Stops the timers and waits for runs under way, so the storage can close after them. */
  stop(): Promise<void>;
}

/**
 * Asks for each job's run a few times per interval: every process does, and the claim
 * decides which one runs it. The timers never keep the process alive.
 */
export function startJobScheduler(store: ScheduledJobStore, jobs: readonly ScheduledJob[], options: JobSchedulerOptions): JobScheduler {
  const owner = options.owner ?? jobOwner();
  const running = new Map<string, Promise<void>>();
  const timers: NodeJS.Timeout[] = [];
  let stopped = false;
  const tick = (job: ScheduledJob) => {
    // A run slower than the interval is not stacked on itself.
    if (stopped || running.has(job.name)) return;
    const run = runJobIfDue(store, job, owner)
      .then(
        (outcome) => {
          if (!outcome.ran) return;
          if ('error' in outcome) options.onError(job.name, outcome.error);
          else options.onRun?.(job.name, outcome.result);
        },
        (error: unknown) => options.onError(job.name, error),
      )
      .finally(() => running.delete(job.name));
    running.set(job.name, run);
  };
  for (const job of jobs) {
    // Late by at most a quarter of the interval (a minute at most) after it falls due.
    const every = Math.max(1000, Math.min(job.intervalMs / 4, 60_000));
    const first = setTimeout(() => tick(job), Math.min(every, 2000));
    const timer = setInterval(() => tick(job), every);
    first.unref();
    timer.unref();
    timers.push(first, timer);
  }
  return {
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      await Promise.all(running.values());
    },
  };
}
