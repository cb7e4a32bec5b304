import { fs } from '../core/builtin-fs.ts';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface MigrationFile {
  version: number;
  name: string;
  up: string;
  down: string;
  checksum: string;
}

/** migrations/ at the package root, found from both src/ (tests) and dist/ (installed). */
export function defaultMigrationsRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'migrations');
    if (fs.existsSync(join(candidate, 'sqlite'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error('migrations directory not found beside the hookd package');
}

const FILE = /^(\d{4})_([a-z0-9_]+)\.up\.sql$/;

export function readMigrationFiles(root: string, dialect: 'sqlite' | 'postgres'): MigrationFile[] {
  const dir = join(root, dialect);
  const files: MigrationFile[] = [];
  for (const entry of fs.readdirSync(dir).sort()) {
    const match = FILE.exec(entry);
    if (!match) continue;
    const up = fs.readFileSync(join(dir, entry), 'utf8');
    const downPath = join(dir, entry.replace('.up.sql', '.down.sql'));
    if (!fs.existsSync(downPath)) throw new Error(`migration ${entry} has no down file`);
    files.push({
      version: Number(match[1]),
      name: match[2] as string,
      up,
      down: fs.readFileSync(downPath, 'utf8'),
      // node:crypto on use: `hookd emit` imports this file for defaultMigrationsRoot alone.
      checksum: process.getBuiltinModule('node:crypto').createHash('sha256').update(up).digest('hex'),
    });
  }
  for (let i = 0; i < files.length; i++) {
    if (files[i]!.version !== i + 1) throw new Error(`migrations must be numbered 1..n without gaps (${dialect})`);
  }
  return files;
}
