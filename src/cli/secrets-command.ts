import type { RotationReport, SecretStatus } from '../modules/config/secret-rotation.ts';
import { CLI_PRINCIPAL } from '../modules/tokens/token-service.ts';
import type { GlobalOptions } from './cli-config.ts';
import { withServices } from './cli-services.ts';
import { printJson, printTable, type Column } from './output.ts';

const WHAT = 'stored secrets';
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const USE_COLUMNS: Column<SecretStatus['sealed_by'][number] & { current: boolean }>[] = [
  { header: 'key id', value: (k) => (k.current ? `${k.key_id} (current)` : k.key_id) },
  { header: 'values', value: (k) => String(k.values), right: true },
  { header: 'in HOOKD_SECRET_KEY', value: (k) => (k.in_key_ring ? 'yes' : 'NO: cannot be read') },
];

/**
 * `hookd secrets rotate`: re-seals every stored secret under the current key. Exits 1 when
 * a value was left as it was (unreadable, or changed meanwhile), so a script notices.
 */
export async function secretsRotateCommand(globals: GlobalOptions, options: { json?: boolean }): Promise<void> {
  await withServices(globals, WHAT, async ({ secretRotation }) => {
    const report = await secretRotation.rotate(CLI_PRINCIPAL);
    if (options.json) printJson(report);
    else process.stdout.write(describeRotation(report));
    if (report.unreadable.length > 0 || report.changed.length > 0) process.exitCode = 1;
  });
}

/** `hookd secrets status` */
export async function secretsStatusCommand(globals: GlobalOptions, options: { json?: boolean }): Promise<void> {
  await withServices(globals, WHAT, async ({ secretRotation }) => {
    const status = await secretRotation.status();
    if (options.json) return printJson(status);
    process.stdout.write(`current key: ${status.current_key_id} (key ring: ${status.key_ring.join(', ')})\n`);
    process.stdout.write(`${checkLine(status)}\n`);
    if (status.sealed_by.length === 0 && status.malformed === 0) process.stdout.write('no secret is stored\n');
    else
      printTable(
        USE_COLUMNS,
        status.sealed_by.map((k) => ({ ...k, current: k.key_id === status.current_key_id })),
      );
    if (status.malformed > 0)
      process.stdout.write(`${plural(status.malformed, 'stored secret is', 'stored secrets are')} not a sealed value\n`);
    const old = status.sealed_by.filter((k) => k.key_id !== status.current_key_id && k.values > 0);
    if (old.length > 0) process.stdout.write(`run 'hookd secrets rotate' to re-seal what ${old.map((k) => k.key_id).join(', ')} sealed\n`);
    process.stdout.write(unusedLine(status));
  });
}

function describeRotation(r: RotationReport): string {
  const lines: string[] = [];
  const total = r.resealed.reduce((sum, k) => sum + k.values, 0);
  const from = r.resealed.map((k) => `${k.values} from ${k.key_id}`).join(', ');
  lines.push(`re-sealed ${plural(total, 'value')} under key ${r.current_key_id}${total > 0 ? ` (${from})` : ''}`);
  lines.push(`${plural(r.already_current, 'value was', 'values were')} sealed under ${r.current_key_id} already`);
  lines.push(checkLine(r));
  for (const u of r.unreadable) lines.push(`could not open ${u.holder} ${u.id} ${u.field} (left as it is): ${u.message}`);
  for (const c of r.changed) lines.push(`${c.holder} ${c.id} ${c.field} changed while rotating (left as that change made it): run again`);
  return `${lines.join('\n')}\n${unusedLine(r)}`;
}

function checkLine(s: SecretStatus): string {
  switch (s.current_key_check) {
    case 'recorded':
      return `key check of ${s.current_key_id}: recorded`;
    case 'missing':
      return `key check of ${s.current_key_id}: not recorded yet (the first secret sealed, or 'hookd secrets rotate', records it)`;
    case 'mismatch':
      return `key check of ${s.current_key_id}: DIFFERENT: this database's secrets were sealed with another key of that id`;
  }
}

function unusedLine(s: SecretStatus): string {
  if (s.unused_key_ids.length === 0) return '';
  return `key ids that seal nothing (drop them from HOOKD_SECRET_KEY): ${s.unused_key_ids.join(', ')}\n`;
}
