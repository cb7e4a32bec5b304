import { ConfigError } from '../core/app-error.ts';
import type { Database } from './database.ts';
import type { AppliedMigration, MigrationBackend } from './migration-backend.ts';
import { defaultMigrationsRoot, readMigrationFiles, type MigrationFile } from './migration-files.ts';
import { postgresMigrationBackend } from './migration-backend-postgres.ts';
import { sqliteMigrationBackend } from './migration-backend-sqlite.ts';

export type { AppliedMigration, MigrationBackend, MigrationSession } from './migration-backend.ts';

export interface MigrationStatus {
  version: number;
  name: string;
  state: 'applied' | 'pending' | 'changed' | 'missing';
  appliedAt: Date | null;
}

export class Migrator {
  readonly files: MigrationFile[];
  private readonly backend: MigrationBackend;

  constructor(db: Database, root = defaultMigrationsRoot()) {
    this.files = readMigrationFiles(root, db.kind);
    this.backend = db.kind === 'sqlite' ? sqliteMigrationBackend(db) : postgresMigrationBackend(db);
  }

  /**
   * Applies every pending migration; returns the versions applied by this call. Refuses
   * when an applied migration was edited or lost its file (what verify reports): the
   * schema is then not what the files say, and building on it hides that. `allowEdited`
   * applies anyway, telling `warn` what it overrode.
   */
  async up(options: { allowEdited?: boolean; warn?: (message: string) => void } = {}): Promise<number[]> {
    return this.backend.withLock(async (session) => {
      const applied = await session.applied();
      const problems = disagreements(this.files, applied);
      if (problems.length > 0) {
        if (!options.allowEdited) throw new MigrationsEditedError(problems);
        for (const problem of problems) options.warn?.(`applying despite: ${problem}`);
      }
      const done = new Set(applied.map((m) => m.version));
      const ran: number[] = [];
      for (const file of this.files) {
        if (done.has(file.version)) continue;
        await session.apply(file);
        ran.push(file.version);
      }
      return ran;
    });
  }

  /** Reverts down to (not including) `to`; by default only the newest migration. */
  async down(to?: number): Promise<number[]> {
    return this.backend.withLock(async (session) => {
      const applied = (await session.applied()).sort((a, b) => b.version - a.version);
      const target = to ?? Math.max(0, (applied[0]?.version ?? 0) - 1);
      const reverted: number[] = [];
      for (const migration of applied) {
        if (migration.version <= target) break;
        const file = this.files.find((f) => f.version === migration.version);
        if (!file) throw new Error(`cannot revert ${migration.version}_${migration.name}: its files are missing`);
        await session.revert(file);
        reverted.push(migration.version);
      }
      return reverted;
    });
  }

  async status(): Promise<MigrationStatus[]> {
    return this.backend.withLock(async (session) => {
      const applied = new Map((await session.applied()).map((m) => [m.version, m]));
      const rows: MigrationStatus[] = this.files.map((file) => {
        const done = applied.get(file.version);
        applied.delete(file.version);
        if (!done) return { version: file.version, name: file.name, state: 'pending', appliedAt: null };
        return {
          version: file.version,
          name: file.name,
          state: done.checksum === file.checksum ? 'applied' : 'changed',
          appliedAt: done.appliedAt,
        };
      });
      for (const orphan of applied.values()) {
        rows.push({ version: orphan.version, name: orphan.name, state: 'missing', appliedAt: orphan.appliedAt });
      }
      return rows.sort((a, b) => a.version - b.version);
    });
  }

  /** Problems that make the database disagree with the migration files (empty = verified). */
  async verify(): Promise<string[]> {
    return this.backend.withLock(async (session) => disagreements(this.files, await session.applied()));
  }
}

/** What verify reports: applied migrations whose file changed since, or is gone. */
function disagreements(files: readonly MigrationFile[], applied: readonly AppliedMigration[]): string[] {
  const byVersion = new Map(files.map((f) => [f.version, f]));
  return [...applied]
    .sort((a, b) => a.version - b.version)
    .flatMap((m) => {
      const file = byVersion.get(m.version);
      if (!file) return [`${pad(m.version)}_${m.name}: applied migration has no file`];
      return file.checksum === m.checksum
        ? []
        : [`${pad(m.version)}_${m.name}: applied migration was edited after it ran (checksum differs)`];
    });
}

export class MigrationsEditedError extends ConfigError {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      `refusing to migrate: ${problems.join('; ')}. Restore the migration files that ran ` +
        "(see 'hookd migrate verify'), or apply anyway with 'hookd migrate up --allow-edited'",
    );
    this.problems = problems;
  }
}

export function pad(version: number): string {
  return String(version).padStart(4, '0');
}
