import type { Command } from 'commander';

// Registrations only, like ../commands.ts: each command's module is imported when it runs.

export function registerEmitCommands(program: Command): void {
  // Reached only when global options come before `emit`: main.ts runs a plain
  // `hookd emit` before commander is loaded. Unknown arguments must not make a hook fail.
  program
    .command('emit')
    .description('Store the hook event on stdin (what a Claude Code command hook runs); prints nothing, always exits 0')
    .option('--source <name>', 'the agent that fired the hook', 'claude-code')
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (options: { source: string }) => (await import('../emit-command.ts')).emitCommand(['--source', options.source]));
  const spool = program
    .command('spool')
    .description('Events `hookd emit` could not deliver yet ($HOOKD_HOME/spool.jsonl) and those it gave up on (spool-dead.jsonl)')
    .option('--json', 'print the counts and the dead letters as JSON')
    .action(async (options: { json?: boolean }) => (await import('../spool-command.ts')).spoolStatus(options));
  spool
    .command('flush')
    .description('Replay the spool now to HOOKD_URL (else the local database) and report counts')
    .action(async () => (await import('../spool-command.ts')).spoolFlush());
  spool
    .command('retry')
    .description('Put the dead letters back into the spool, their tries reset, and replay it')
    .requiredOption('--dead', 'the dead letters (the only kind there is to retry)')
    .action(async () => (await import('../spool-command.ts')).spoolRetryDead());
}
