import type { SqliteDatabase } from './database.ts';
import type { AppliedMigration, MigrationBackend, MigrationSession } from './migration-backend.ts';

export function sqliteMigrationBackend(db: SqliteDatabase): MigrationBackend {
  const sqlite = db.sqlite;
  return {
    async withLock(fn) {
      sqlite.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
      // BEGIN IMMEDIATE takes SQLite's write lock: a second process starting at the same
      // moment waits (busy_timeout) and then finds the migrations applied.
      sqlite.exec('BEGIN IMMEDIATE');
      try {
        const session: MigrationSession = {
          async applied() {
            const rows = sqlite.prepare('SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version').all() as {
              version: number;
              name: string;
              checksum: string;
              applied_at: number;
            }[];
            return rows.map(
              (r): AppliedMigration => ({ version: r.version, name: r.name, checksum: r.checksum, appliedAt: new Date(r.applied_at) }),
            );
          },
          async apply(file) {
            sqlite.exec(file.up);
            sqlite
              .prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)')
              .run(file.version, file.name, file.checksum, Date.now());
          },
          async revert(file) {
            sqlite.exec(file.down);
            sqlite.prepare('DELETE FROM schema_migrations WHERE version = ?').run(file.version);
          },
        };
        const result = await fn(session);
        sqlite.exec('COMMIT');
        return result;
      } catch (error) {
        if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
        throw error;
      }
    },
  };
}
