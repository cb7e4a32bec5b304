// The three storages the benchmark compares, each able to hand out fresh, empty databases
// and to undo everything it created.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startPostgresCluster, type PostgresCluster } from '../test/support/postgres-cluster.ts';
import { onCleanup } from './cleanup.ts';

export type StorageKey = 'sqlite-full' | 'sqlite-normal' | 'postgres';

export interface FreshDatabase {
  /** For the server process and for loadConfig() in this one. */
  env: Record<string, string>;
  dispose(): Promise<void>;
}

export interface BenchStorage {
  key: StorageKey;
  label: string;
  /** Starts what the storage needs; resolves with a reason when it cannot run here. */
  prepare(): Promise<string | null>;
  /** Facts worth printing (server version, settings). */
  describe(): Promise<string>;
  freshDatabase(): Promise<FreshDatabase>;
  release(): Promise<void>;
}

function tempHome(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'hookd-bench-'));
  const unregister = onCleanup(`temp dir ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    remove() {
      rmSync(dir, { recursive: true, force: true });
      unregister();
    },
  };
}

function sqliteStorage(key: StorageKey, sync: 'full' | 'normal'): BenchStorage {
  return {
    key,
    label: `SQLite (WAL, synchronous=${sync.toUpperCase()})`,
    async prepare() {
      return null;
    },
    async describe() {
      return `SQLite file in ${tmpdir()}, journal_mode=WAL, synchronous=${sync.toUpperCase()}`;
    },
    async freshDatabase() {
      const home = tempHome();
      return {
        env: { HOOKD_HOME: home.dir, HOOKD_SQLITE_SYNC: sync },
        async dispose() {
          home.remove();
        },
      };
    },
    async release() {},
  };
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function postgresStorage(): BenchStorage {
  let cluster: PostgresCluster | null = null;
  let unregister: () => void = () => {};
  const adminUrl = () => {
    if (!cluster) throw new Error('the PostgreSQL cluster is not running');
    return cluster.adminUrl;
  };
  return {
    key: 'postgres',
    label: 'PostgreSQL (fsync=on, synchronous_commit=on)',
    async prepare() {
      const started = await startPostgresCluster({ durable: true });
      if ('skipped' in started) return started.skipped;
      cluster = started;
      unregister = onCleanup('PostgreSQL cluster', () => started.stop());
      return null;
    },
    async describe() {
      return withClient(adminUrl(), async (client) => {
        const { rows } = await client.query<{ version: string; settings: string }>(
          `SELECT version() AS version,
                  string_agg(name || '=' || setting || coalesce(unit, ''), ', ' ORDER BY name) AS settings
             FROM pg_settings
            WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method', 'shared_buffers', 'max_wal_size')
            GROUP BY 1`,
        );
        return `${rows[0]!.version.split(' on ')[0]}; ${rows[0]!.settings}`;
      });
    },
    async freshDatabase() {
      // Random hex keeps the name a valid unquoted identifier.
      const name = `hookd_bench_${randomBytes(6).toString('hex')}`;
      await withClient(adminUrl(), (client) => client.query(`CREATE DATABASE ${name}`));
      const url = new URL(adminUrl());
      url.pathname = `/${name}`;
      const home = tempHome();
      const drop = async () => {
        if (cluster) await withClient(adminUrl(), (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      };
      // On ctrl-C the cluster's own signal handler may already have stopped it, taking
      // the database with it: nothing is left to drop then.
      const undo = onCleanup(`PostgreSQL database ${name}`, () => drop().catch(() => {}));
      return {
        env: { HOOKD_HOME: home.dir, HOOKD_DATABASE_URL: url.toString() },
        async dispose() {
          await drop();
          undo();
          home.remove();
        },
      };
    },
    async release() {
      if (!cluster) return;
      await cluster.stop();
      cluster = null;
      unregister();
    },
  };
}

export function benchStorages(): BenchStorage[] {
  return [sqliteStorage('sqlite-full', 'full'), sqliteStorage('sqlite-normal', 'normal'), postgresStorage()];
}
