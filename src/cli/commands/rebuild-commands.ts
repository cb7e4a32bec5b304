import type { Command } from 'commander';

// Registrations only, like ../commands.ts: each command's module is imported when it runs.

export function registerRebuildCommands(program: Command): void {
  program
    .command('rebuild')
    .description('Recompute sessions and tool uses from the stored events (e.g. after an adapter change); safe to repeat')
    .option('--session <id>', 'only this session')
    .option('--json', 'print the summary as JSON')
    .action(async (options) => (await import('../rebuild-command.ts')).rebuildCommand(program.opts(), options));
}
