import { readFileSync } from 'node:fs';
import { NotFoundError } from '../core/app-error.ts';
import type { ConfigView } from '../modules/config/config-service.ts';
import { CLI_PRINCIPAL } from '../modules/tokens/token-service.ts';
import type { GlobalOptions } from './cli-config.ts';
import { withServices } from './cli-services.ts';
import { printJson, printTable, shortTime, type Column } from './output.ts';

const COLUMNS: Column<ConfigView>[] = [
  { header: 'key', value: (e) => e.key },
  { header: 'value', value: (e) => e.value },
  { header: 'secret', value: (e) => (e.secret ? 'yes' : '') },
  { header: 'updated', value: (e) => shortTime(e.updated_at) },
  { header: 'by', value: (e) => e.updated_by },
];
const WHAT = 'the config store';

/** `hookd config get KEY [--default V]` */
export async function configGetCommand(globals: GlobalOptions, key: string, options: { default?: string; json?: boolean }): Promise<void> {
  await withServices(globals, WHAT, async ({ configEntries }) => {
    try {
      const entry = await configEntries.get(key);
      if (options.json) printJson(entry);
      else process.stdout.write(`${entry.value}\n`);
    } catch (error) {
      if (!(error instanceof NotFoundError) || options.default === undefined) throw error;
      process.stdout.write(`${options.default}\n`);
    }
  });
}

/** `hookd config set KEY VALUE [--secret]`; VALUE `-` reads stdin. */
export async function configSetCommand(globals: GlobalOptions, key: string, value: string, options: { secret?: boolean }): Promise<void> {
  const text = value === '-' ? readFileSync(0, 'utf8').replace(/\r?\n$/, '') : value;
  await withServices(
    globals,
    WHAT,
    async ({ configEntries }) => {
      const entry = await configEntries.set(key, { value: text, secret: options.secret === true }, CLI_PRINCIPAL);
      process.stdout.write(`set ${entry.key} = ${entry.value}${entry.secret ? ' (secret, sealed)' : ''}\n`);
    },
    true,
  );
}

export async function configListCommand(globals: GlobalOptions, options: { json?: boolean }): Promise<void> {
  await withServices(globals, WHAT, async ({ configEntries }) => {
    const list = await configEntries.list();
    if (options.json) return printJson(list);
    if (list.items.length === 0) process.stdout.write('the config store is empty: hookd config set KEY VALUE [--secret]\n');
    else printTable(COLUMNS, list.items);
  });
}

export async function configUnsetCommand(globals: GlobalOptions, key: string): Promise<void> {
  await withServices(globals, WHAT, async ({ configEntries }) => {
    await configEntries.delete(key, CLI_PRINCIPAL);
    process.stdout.write(`removed ${key}\n`);
  });
}
