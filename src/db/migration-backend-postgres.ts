import type { PostgresDatabase } from './database.ts';
import type { AppliedMigration, MigrationBackend, MigrationSession } from './migration-backend.ts';

/** A stable 64-bit advisory lock key per schema, so two hookd schemas never wait on each other. */
export function advisoryKey(label: string): string {
  // node:crypto on use: the migrator, and so this file, is bundled into `hookd emit`,
  // where a static import would put loading node:crypto into every hook's start-up.
  const { createHash } = process.getBuiltinModule('node:crypto');
  return BigInt.asIntN(64, BigInt(`0x${createHash('sha256').update(label).digest('hex').slice(0, 16)}`)).toString();
}

export function postgresMigrationBackend(db: PostgresDatabase): MigrationBackend {
  const schema = `"${db.schema}"`;
  return {
    async withLock(fn) {
      const client = await db.pool.connect();
      const key = advisoryKey(`hookd.migrate.${db.schema}`);
      try {
        await client.query('SELECT pg_advisory_lock($1::bigint)', [key]);
        try {
          await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
          await client.query(`SET search_path TO ${schema}, public`);
          await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
            version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now())`);
          const inTransaction = async (sql: string, record: () => Promise<unknown>) => {
            await client.query('BEGIN');
            try {
              await client.query(sql);
              await record();
              await client.query('COMMIT');
            } catch (error) {
              await client.query('ROLLBACK');
              throw error;
            }
          };
          const session: MigrationSession = {
            async applied() {
              const { rows } = await client.query<{ version: number; name: string; checksum: string; applied_at: Date }>(
                'SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version',
              );
              return rows.map(
                (r): AppliedMigration => ({ version: r.version, name: r.name, checksum: r.checksum, appliedAt: r.applied_at }),
              );
            },
            apply: (file) =>
              inTransaction(file.up, () =>
                client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
                  file.version,
                  file.name,
                  file.checksum,
                ]),
              ),
            revert: (file) =>
              inTransaction(file.down, () => client.query('DELETE FROM schema_migrations WHERE version = $1', [file.version])),
          };
          return await fn(session);
        } finally {
          await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => {});
        }
      } finally {
        client.release();
      }
    },
  };
}
