import type { Command } from 'commander';
import { intIn } from '../int-option.ts';

// Registrations only, like ../commands.ts: each command's module is imported when it runs.

export function registerPartitionCommands(program: Command): void {
  const partitions = program.command('partitions').description('Monthly partitions of the events table (PostgreSQL)');
  partitions
    .command('list')
    .description('List partitions with estimated rows and size')
    .option('--json', 'print JSON')
    .action(async (options) => (await import('../partitions-command.ts')).partitionsList(program.opts(), options));
  partitions
    .command('create')
    .description('Create the partition for a month ahead of need, e.g. before a backfill')
    .argument('<month>', 'YYYY-MM')
    .action(async (month: string) => (await import('../partitions-command.ts')).partitionsCreate(program.opts(), month));
  partitions
    .command('detach')
    .description('Remove partitions wholly older than N months (dropped unless --keep)')
    .requiredOption('--older-than <months>', 'keep this many months before the current one', intIn('--older-than', 1, 1200))
    .option('--keep', 'only detach: keep each partition as a standalone table')
    .action(async (options) => (await import('../partitions-command.ts')).partitionsDetach(program.opts(), options));
}
