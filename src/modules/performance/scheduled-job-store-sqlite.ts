import type { SqliteDatabase } from '../../db/database.ts';
import { jobFromRow, type ScheduledJobStore } from './scheduled-jobs.ts';

/**
 * SQLite has one writer at a time: the claim's UPDATE runs under the write lock, so a
 * second process's UPDATE sees the lease the first one wrote and matches no row.
 */
export function createSqliteScheduledJobStore(db: SqliteDatabase): ScheduledJobStore {
  const sqlite = db.sqlite;
  const ensure = sqlite.prepare('INSERT INTO scheduled_jobs (job_name, next_run_at) VALUES (?, ?) ON CONFLICT (job_name) DO NOTHING');
  const claim = sqlite.prepare(
    `UPDATE scheduled_jobs SET lease_owner = ?, lease_expires_at = ?, last_started_at = ?, runs = runs + 1
      WHERE job_name = ? AND next_run_at <= ? AND (lease_expires_at IS NULL OR lease_expires_at <= ?)
     RETURNING watermark`,
  );
  const complete = sqlite.prepare(
    `UPDATE scheduled_jobs SET lease_owner = NULL, lease_expires_at = NULL, next_run_at = ?, watermark = ?, last_finished_at = ?,
            last_result = ?, last_error = ?
      WHERE job_name = ? AND lease_owner = ? AND last_started_at = ?`,
  );
  const byName = sqlite.prepare('SELECT * FROM scheduled_jobs WHERE job_name = ?');
  return {
    async ensure(name, firstRunAt) {
      ensure.run(name, firstRunAt);
    },
    async claim(name, owner, now, leaseMs) {
      const row = claim.get(owner, now + leaseMs, now, name, now, now) as { watermark: number | null } | undefined;
      return row ? { name, owner, claimedAt: now, watermark: row.watermark } : null;
    },
    async complete(c, done) {
      return (
        complete.run(done.nextRunAt, done.watermark, done.finishedAt, done.result, done.error, c.name, c.owner, c.claimedAt).changes > 0
      );
    },
    async get(name) {
      const row = byName.get(name) as Record<string, unknown> | undefined;
      return row ? jobFromRow(row) : null;
    },
  };
}
