import type { MigrationFile } from './migration-files.ts';

export interface AppliedMigration {
  version: number;
  name: string;
  checksum: string;
  appliedAt: Date;
}

/** What a dialect provides so that one migrator serves both. */
export interface MigrationBackend {
  /** Runs `fn` holding the database-wide migration lock (serialises concurrent starts). */
  withLock<T>(fn: (session: MigrationSession) => Promise<T>): Promise<T>;
}

export interface MigrationSession {
  applied(): Promise<AppliedMigration[]>;
  /** Runs the SQL and records (or forgets) the version in one transaction. */
  apply(file: MigrationFile): Promise<void>;
  revert(file: MigrationFile): Promise<void>;
}
