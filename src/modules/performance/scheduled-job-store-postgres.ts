import type { PostgresDatabase } from '../../db/database.ts';
import { POSTGRES_DIALECT } from '../../db/sql-dialect.ts';
import { jobFromRow, type ScheduledJobStore } from './scheduled-jobs.ts';

const { timeParam, msColumn } = POSTGRES_DIALECT;
const COLUMNS = `job_name, ${msColumn('next_run_at')}, lease_owner, ${msColumn('lease_expires_at')}, watermark, runs,
  ${msColumn('last_started_at')}, ${msColumn('last_finished_at')}, last_result, last_error`;

/**
 * Under READ COMMITTED a second UPDATE of the row waits for the first to commit, then
 * evaluates its WHERE again against the new lease and matches nothing: one claimer wins.
 */
export function createPostgresScheduledJobStore(db: PostgresDatabase): ScheduledJobStore {
  const pool = db.pool;
  return {
    async ensure(name, firstRunAt) {
      await pool.query(
        `INSERT INTO scheduled_jobs (job_name, next_run_at) VALUES ($1, ${timeParam('$2')}) ON CONFLICT (job_name) DO NOTHING`,
        [name, firstRunAt],
      );
    },
    async claim(name, owner, now, leaseMs) {
      const { rows } = await pool.query<{ watermark: number | null }>(
        `UPDATE scheduled_jobs SET lease_owner = $1, lease_expires_at = ${timeParam('$2')}, last_started_at = ${timeParam('$3')},
                runs = runs + 1
          WHERE job_name = $4 AND next_run_at <= ${timeParam('$3')}
            AND (lease_expires_at IS NULL OR lease_expires_at <= ${timeParam('$3')})
         RETURNING watermark`,
        [owner, now + leaseMs, now, name],
      );
      const row = rows[0];
      return row ? { name, owner, claimedAt: now, watermark: row.watermark === null ? null : Number(row.watermark) } : null;
    },
    async complete(c, done) {
      const { rowCount } = await pool.query(
        `UPDATE scheduled_jobs SET lease_owner = NULL, lease_expires_at = NULL, next_run_at = ${timeParam('$1')}, watermark = $2,
                last_finished_at = ${timeParam('$3')}, last_result = $4, last_error = $5
          WHERE job_name = $6 AND lease_owner = $7 AND last_started_at = ${timeParam('$8')}`,
        [done.nextRunAt, done.watermark, done.finishedAt, done.result, done.error, c.name, c.owner, c.claimedAt],
      );
      return (rowCount ?? 0) > 0;
    },
    async get(name) {
      const { rows } = await pool.query<Record<string, unknown>>(`SELECT ${COLUMNS} FROM scheduled_jobs WHERE job_name = $1`, [name]);
      return rows[0] ? jobFromRow(rows[0]) : null;
    },
  };
}
