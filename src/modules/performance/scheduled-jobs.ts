/** A run of a job taken by one process: only it may complete the run. */
export interface JobClaim {
  name: string;
  owner: string;
  /** When the run was claimed (epoch ms); with the owner, the run's identity. */
  claimedAt: number;
  /** What the previous successful run left (epoch ms), null before the first. */
  watermark: number | null;
}

export interface JobCompletion {
  /** When the job is due again (epoch ms). */
  nextRunAt: number;
  /** Kept for the next run. */
  watermark: number | null;
  finishedAt: number;
  /** A line for whoever looks at the row: what the run did, or why it failed. */
  result: string | null;
  error: string | null;
}

export interface JobState {
  name: string;
  nextRunAt: number;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  watermark: number | null;
  runs: number;
  lastStartedAt: number | null;
  lastFinishedAt: number | null;
  lastResult: string | null;
  lastError: string | null;
}

/**
 * The scheduled_jobs table. Claiming is one conditional UPDATE (due, and no lease or an
 * expired one): of any number of processes asking at once, exactly one gets the run.
 */
export interface ScheduledJobStore {
  /** Creates the job's row, due at `firstRunAt`, unless it exists already. */
  ensure(name: string, firstRunAt: number): Promise<void>;
  /** The run, when the job is due at `now` and not leased; null otherwise. The lease ends at now + leaseMs. */
  claim(name: string, owner: string, now: number, leaseMs: number): Promise<JobClaim | null>;
  /** Records the run's end and frees the job; false when the lease was lost meanwhile (nothing is written then). */
  complete(claim: JobClaim, completion: JobCompletion): Promise<boolean>;
  get(name: string): Promise<JobState | null>;
}

type Row = Record<string, unknown>;
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** A scheduled_jobs row as either dialect returns it, times as epoch ms. */
export function jobFromRow(r: Row): JobState {
  return {
    name: r.job_name as string,
    nextRunAt: Number(r.next_run_at),
    leaseOwner: (r.lease_owner as string | null) ?? null,
    leaseExpiresAt: numOrNull(r.lease_expires_at),
    watermark: numOrNull(r.watermark),
    runs: Number(r.runs),
    lastStartedAt: numOrNull(r.last_started_at),
    lastFinishedAt: numOrNull(r.last_finished_at),
    lastResult: (r.last_result as string | null) ?? null,
    lastError: (r.last_error as string | null) ?? null,
  };
}
