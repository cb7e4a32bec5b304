import type { Command } from 'commander';

// Registrations only, like ../commands.ts: each command's module is imported when it runs.

export function registerSecretCommands(program: Command): void {
  const secrets = program
    .command('secrets')
    .description("The stored secrets sealed under HOOKD_SECRET_KEY's key ring: which keys seal them, and rotation");
  const load = () => import('../secrets-command.ts');
  secrets
    .command('rotate')
    .description('Re-seal every stored secret under the current (first) key of the ring; say which old key ids can be dropped')
    .option('--json', 'print the report as JSON')
    .action(async (options) => (await load()).secretsRotateCommand(program.opts(), options));
  secrets
    .command('status')
    .description("Which key ids seal how many stored secrets, and whether the current key's check is recorded")
    .option('--json', 'print the status as JSON')
    .action(async (options) => (await load()).secretsStatusCommand(program.opts(), options));
}
