// How much disk the store takes, read the same way for every checkpoint: SQLite's file
// with its WAL and shared-memory files (a WAL not yet checkpointed is disk in use too);
// PostgreSQL's database as the server accounts for it (its WAL, shared by the cluster,
// is not in it), with the part that is hookd's own tables and indexes beside.
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/core/config.ts';

export interface DatabaseSize {
  bytes: number;
  /** What the bytes are made of, for the report. */
  detail: string;
}

const MIB = 1024 * 1024;
export const mib = (bytes: number) => `${(bytes / MIB).toFixed(1)} MiB`;

function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    // No -wal or -shm file right now: it takes no space.
    return 0;
  }
}

/** `env` is the benchmark database's, as handed to the server. */
export async function databaseSize(env: Record<string, string>): Promise<DatabaseSize> {
  const config = loadConfig(env);
  if (config.storage === 'sqlite') {
    const parts = ['', '-wal', '-shm'].map((suffix) => ({
      name: `${basename(config.sqlitePath)}${suffix}`,
      bytes: fileBytes(`${config.sqlitePath}${suffix}`),
    }));
    return {
      bytes: parts.reduce((sum, p) => sum + p.bytes, 0),
      detail: parts.map((p) => `${p.name} ${mib(p.bytes)}`).join(' + '),
    };
  }
  if (config.storage !== 'postgres' || !config.postgresUrl) throw new Error(`no size for storage ${config.storage}`);
  const client = new pg.Client({ connectionString: config.postgresUrl });
  await client.connect();
  try {
    // Tables only (partitions included): their total size already counts indexes and TOAST.
    const { rows } = await client.query<{ database: string; schema: string | null }>(
      `SELECT pg_database_size(current_database())::text AS database,
              (SELECT sum(pg_total_relation_size(c.oid))
                 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = $1 AND c.relkind IN ('r', 'm'))::text AS schema`,
      [config.pgSchema],
    );
    const database = Number(rows[0]!.database);
    const schema = Number(rows[0]!.schema ?? 0);
    return { bytes: database, detail: `schema ${config.pgSchema} tables+indexes ${mib(schema)} of the database's ${mib(database)}` };
  } finally {
    await client.end();
  }
}
