import type { PerformanceSettings } from '../../core/config.ts';
import type { ScheduledJob } from './job-scheduler.ts';
import { HOUR_MS } from './performance.ts';
import type { PerformanceService } from './performance-service.ts';

export const PERF_AGGREGATE_JOB = 'perf_aggregate';
export const RETENTION_JOB = 'execution_retention';
export const RETENTION_INTERVAL_MS = HOUR_MS;

/**
 * How far before the previous run's start a run looks again. An execution's updated_at
 * is stamped by the process that wrote it, before its commit: a row stamped just before
 * a run began but committed after the run read may be missed by it, and clocks of several
 * processes differ a little. Recomputing these minutes again costs a few hours' rows.
 */
export const LATE_COMMIT_MS = 5 * 60_000;

/** The jobs `serve` runs for hook performance, as the settings ask. */
export function performanceJobs(service: PerformanceService, settings: PerformanceSettings): ScheduledJob[] {
  const jobs: ScheduledJob[] = [];
  if (settings.aggregateIntervalMs > 0) {
    jobs.push({
      name: PERF_AGGREGATE_JOB,
      intervalMs: settings.aggregateIntervalMs,
      // The watermark is the start of the last run that succeeded: every execution updated
      // since (less the margin) has its hour recomputed, however long ago it started.
      async run(claim) {
        const since = claim.watermark === null ? null : claim.watermark - LATE_COMMIT_MS;
        const r = await service.aggregateChanged(since);
        return { watermark: claim.claimedAt, result: `hours recomputed: ${r.hours}, rows written: ${r.written}, removed: ${r.removed}` };
      },
    });
  }
  if (settings.retentionDays > 0) {
    jobs.push({
      name: RETENTION_JOB,
      intervalMs: RETENTION_INTERVAL_MS,
      async run() {
        const r = await service.cleanup(settings.retentionDays);
        return {
          watermark: null,
          result: `executions deleted: ${r.deleted_count} (started before ${r.cutoff}), rows removed: ${r.buckets_removed}`,
        };
      },
    });
  }
  return jobs;
}
