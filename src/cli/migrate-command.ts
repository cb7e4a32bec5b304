import { Migrator, pad } from '../db/migrator.ts';
import { openDatabase } from '../db/open-database.ts';
import { ConfigError } from '../core/app-error.ts';
import { cliConfig, type GlobalOptions } from './cli-config.ts';

export async function migrateCommand(
  action: 'up' | 'down' | 'status' | 'verify',
  globals: GlobalOptions,
  options: { to?: string; allowEdited?: boolean },
): Promise<void> {
  const config = cliConfig(globals);
  if (config.storage === 'jsonl') throw new ConfigError('jsonl storage has no migrations');
  const db = openDatabase(config, 'hookd-migrate');
  try {
    const migrator = new Migrator(db);
    switch (action) {
      case 'up': {
        const ran = await migrator.up({
          allowEdited: options.allowEdited === true,
          warn: (message) => process.stderr.write(`hookd: ${message}\n`),
        });
        console.log(ran.length ? `applied ${ran.map(pad).join(', ')}` : 'already up to date');
        break;
      }
      case 'down': {
        const to = options.to === undefined ? undefined : Number(options.to);
        if (to !== undefined && (!Number.isInteger(to) || to < 0)) throw new ConfigError('--to must be a version number >= 0');
        const reverted = await migrator.down(to);
        console.log(reverted.length ? `reverted ${reverted.map(pad).join(', ')}` : 'nothing to revert');
        break;
      }
      case 'status':
        for (const row of await migrator.status()) {
          const when = row.appliedAt ? row.appliedAt.toISOString() : '';
          console.log(`${pad(row.version)}  ${row.name.padEnd(28)} ${row.state.padEnd(8)} ${when}`);
        }
        break;
      case 'verify': {
        const problems = await migrator.verify();
        if (problems.length) {
          for (const p of problems) console.error(`hookd: ${p}`);
          process.exitCode = 1;
        } else console.log(`verified: ${migrator.files.length} migrations match the database`);
        break;
      }
    }
  } finally {
    await db.close();
  }
}
