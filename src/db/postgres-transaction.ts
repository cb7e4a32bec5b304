import type { Pool, PoolClient } from 'pg';

export interface TransactionOptions {
  isolation?: 'read committed' | 'repeatable read';
  /**
   * Longest wait for a row lock (SET LOCAL lock_timeout). Maintenance work sets it short:
   * PostgreSQL's deadlock check aborts whichever transaction has waited a second, and a
   * maintenance transaction that gives up first never makes that ingest's.
   */
  lockTimeoutMs?: number;
  /** Runs again after a serialization failure, deadlock or lock timeout, this many times. */
  retries?: number;
}

// serialization_failure, deadlock_detected, lock_not_available.
const RETRYABLE = new Set(['40001', '40P01', '55P03']);

/** Runs `fn` in one transaction on one pooled connection; retries only when told to. */
export async function withPostgresTransaction<T>(
  pool: Pool,
  fn: (client: PoolClient) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query(options.isolation ? `BEGIN ISOLATION LEVEL ${options.isolation.toUpperCase()}` : 'BEGIN');
      if (options.lockTimeoutMs !== undefined) await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(options.lockTimeoutMs))}`);
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A connection that could not even roll back is not returned to the pool.
      broken = await client.query('ROLLBACK').then(() => false, () => true);
      const code = (error as { code?: string }).code;
      if (!code || !RETRYABLE.has(code) || attempt >= (options.retries ?? 0)) throw error;
    } finally {
      client.release(broken);
    }
    // Backing off with jitter lets the concurrent writer finish before the next attempt.
    await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt) * (0.5 + Math.random())));
  }
}
