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
  /**
   * An advisory lock held around the transaction, taken before BEGIN: under REPEATABLE
   * READ the snapshot is then taken after the wait, not before it (a lock taken by the
   * transaction's first statement would leave it a snapshot older than what it waited for).
   */
  advisoryLock?: { key: string; shared?: boolean };
  /**
   * False: the commit does not wait for its WAL to reach the disk (SET LOCAL
   * synchronous_commit = off). Only for work a crash may undo because it is done again:
   * derived rows written in the transaction that takes their queue rows, which a lost
   * commit puts back. Any later durable commit flushes it anyway (the WAL is in order).
   */
  durable?: boolean;
}

const ignore = () => {};

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
    // A connection that dies while checked out also emits 'error' on the client; with no
    // listener that would end the process. The failure reaches us as the query's rejection.
    client.on('error', ignore);
    let broken = false;
    const lock = options.advisoryLock;
    const [take, give] = lock?.shared
      ? ['pg_advisory_lock_shared', 'pg_advisory_unlock_shared']
      : ['pg_advisory_lock', 'pg_advisory_unlock'];
    try {
      if (lock) await client.query(`SELECT ${take}($1::bigint)`, [lock.key]);
    } catch (error) {
      client.off('error', ignore);
      client.release(true);
      throw error;
    }
    try {
      await client.query(options.isolation ? `BEGIN ISOLATION LEVEL ${options.isolation.toUpperCase()}` : 'BEGIN');
      if (options.lockTimeoutMs !== undefined)
        await client.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.round(options.lockTimeoutMs))}`);
      if (options.durable === false) await client.query('SET LOCAL synchronous_commit = off');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A connection that could not even roll back is not returned to the pool.
      broken = await client.query('ROLLBACK').then(
        () => false,
        () => true,
      );
      const code = (error as { code?: string }).code;
      if (!code || !RETRYABLE.has(code) || attempt >= (options.retries ?? 0)) throw error;
    } finally {
      if (lock && !broken)
        broken = await client.query(`SELECT ${give}($1::bigint)`, [lock.key]).then(
          () => false,
          () => true,
        );
      client.off('error', ignore);
      client.release(broken);
    }
    // Backing off with jitter lets the concurrent writer finish before the next attempt.
    await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt) * (0.5 + Math.random())));
  }
}
