import pg from 'pg';
import type { PostgresDatabase } from './database.ts';

export interface PostgresOptions {
  url: string;
  schema: string;
  poolMin: number;
  poolMax: number;
  connectTimeoutMs?: number;
  /** Reported in pg_stat_activity so operators can tell hookd's connections apart. */
  applicationName?: string;
}

// Event times come back as JS Dates with millisecond precision; bigint counters as numbers
// (counts never approach 2^53).
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

export function openPostgres(options: PostgresOptions): PostgresDatabase {
  const pool = new pg.Pool({
    connectionString: options.url,
    min: options.poolMin,
    max: options.poolMax,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    idleTimeoutMillis: 30_000,
    application_name: options.applicationName ?? 'hookd',
    // Every connection resolves unqualified names in hookd's own schema, so hookd can
    // share a database with an application without colliding.
    options: `-c search_path=${options.schema},public -c synchronous_commit=on -c TimeZone=UTC`,
  });
  // An idle client losing its server (restart, failover) must not crash the process;
  // the pool replaces it and the next query reports the outage.
  pool.on('error', () => {});
  let closed = false;
  return {
    kind: 'postgres',
    pool,
    schema: options.schema,
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
