import { AppError, ValidationError } from '../core/app-error.ts';
import { formatBytes } from '../core/progress-bar.ts';
import { partitionName, type PartitionInfo, type PartitionManager } from '../modules/partitions/partition-manager.ts';
import { openRuntime } from '../runtime/runtime.ts';
import { cliConfig, type GlobalOptions } from './cli-config.ts';
import { printJson, printTable, type Column } from './output.ts';

export interface PartitionListOptions {
  json?: boolean;
}

export interface PartitionDetachOptions {
  olderThan: number;
  /** Detach only, keeping the table for an archive; dropping is the default. */
  keep?: boolean;
}

const COLUMNS: Column<PartitionInfo>[] = [
  { header: 'name', value: (p) => p.name },
  { header: 'from', value: (p) => p.from },
  { header: 'to', value: (p) => p.to },
  { header: 'est. rows', value: (p) => p.estimatedRows.toLocaleString('en-US'), right: true },
  { header: 'size', value: (p) => formatBytes(p.totalBytes), right: true },
];

const notPartitioned = (storage: string) =>
  `${storage === 'sqlite' ? 'SQLite' : storage} storage is not partitioned: monthly partitions exist only with PostgreSQL storage`;

/** The seed's get_partition_stats: every monthly partition with its planner-estimated size. */
export async function partitionsList(globals: GlobalOptions, options: PartitionListOptions): Promise<void> {
  const storage = cliConfig(globals).storage;
  if (storage !== 'postgres') {
    // Nothing to list is a valid answer, not a failure: scripts that list on any storage keep working.
    if (options.json) {
      printJson({ items: [] });
      process.stderr.write(`hookd: ${notPartitioned(storage)}\n`);
    } else process.stdout.write(`${notPartitioned(storage)}\n`);
    return;
  }
  await withPartitions(globals, async (partitions) => {
    const items = await partitions.list();
    if (options.json) {
      printJson({
        items: items.map((p) => ({ name: p.name, from: p.from, to: p.to, estimated_rows: p.estimatedRows, total_bytes: p.totalBytes })),
      });
    } else if (items.length === 0) process.stdout.write('no partitions\n');
    else printTable(COLUMNS, items);
  });
}

/** The seed's create_monthly_partition, for a month ingest has not needed yet (e.g. before a backfill). */
export async function partitionsCreate(globals: GlobalOptions, month: string): Promise<void> {
  const index = parseMonth(month);
  await withPartitions(globals, async (partitions) => {
    const name = partitionName(index);
    const existed = (await partitions.list()).some((p) => p.name === name);
    await partitions.create(index);
    process.stdout.write(existed ? `${name} already exists\n` : `created ${name}\n`);
  });
}

/** The seed's archive_old_partitions: removes whole months older than the retention. */
export async function partitionsDetach(globals: GlobalOptions, options: PartitionDetachOptions): Promise<void> {
  await withPartitions(globals, async (partitions) => {
    const results = await partitions.detachOlderThan(options.olderThan, { drop: !options.keep });
    if (results.length === 0) {
      process.stdout.write(`no partition is older than ${options.olderThan} months\n`);
      return;
    }
    for (const r of results) {
      const keys = `${r.keysDeleted} idempotency key${r.keysDeleted === 1 ? '' : 's'} removed`;
      process.stdout.write(r.dropped ? `dropped ${r.name} (${keys})\n` : `detached ${r.name}, kept as a standalone table (${keys})\n`);
    }
  });
}

/** `YYYY-MM` to the month index the partition manager counts in. */
export function parseMonth(text: string): number {
  const match = /^(\d{4})-(\d{2})$/.exec(text);
  const year = Number(match?.[1]);
  const month = Number(match?.[2]);
  if (!match || month < 1 || month > 12) {
    throw new ValidationError([{ field: 'month', message: `must be YYYY-MM, e.g. 2026-03 (got "${text}")` }]);
  }
  if (year < 2000) {
    throw new ValidationError([{ field: 'month', message: 'must be 2000-01 or later: hookd refuses events before 2000' }]);
  }
  return year * 12 + (month - 1);
}

async function withPartitions(globals: GlobalOptions, fn: (partitions: PartitionManager) => Promise<void>): Promise<void> {
  const config = cliConfig(globals);
  if (config.storage !== 'postgres') throw new AppError('not_partitioned', notPartitioned(config.storage), 501);
  const { services } = await openRuntime(config, { applicationName: 'hookd-partitions' });
  try {
    if (services.stores.dialect !== 'postgres') throw new AppError('not_partitioned', notPartitioned(config.storage), 501);
    await fn(services.stores.partitions);
  } finally {
    await services.close();
  }
}
