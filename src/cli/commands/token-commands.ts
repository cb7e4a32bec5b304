import type { Command } from 'commander';

// Registrations only, like ../commands.ts: each command's module is imported when it runs.

export function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('Create, list, revoke and save API tokens');
  token
    .command('create')
    .description('Create an API token; it is printed once and stored only as a hash')
    .requiredOption('--scope <scopes>', 'comma-separated: ingest, read, admin')
    .option('--team <team>', 'restrict the token to one team')
    .option('--session <session>', 'restrict the token to one session')
    .option('--name <name>', 'a label to recognise it by in `token list`')
    .option('--json', 'print the token record and the token as JSON')
    .action(async (options) => (await import('../token-command.ts')).tokenCreate(program.opts(), options));
  token
    .command('list')
    .description('List API tokens (never their secrets)')
    .option('--json', 'print JSON')
    .action(async (options) => (await import('../token-command.ts')).tokenList(program.opts(), options));
  token
    .command('revoke')
    .description('Revoke an API token by id; it stops working within a second')
    .argument('<id>', 'token id, as `token list` shows it (tok_...)')
    .action(async (id: string) => (await import('../token-command.ts')).tokenRevoke(program.opts(), id));
  token
    .command('save')
    .description(
      'Keep a token, read from stdin, in $HOOKD_HOME/token (readable by you alone): `hookd emit` sends it when HOOKD_TOKEN is not set',
    )
    .action(async () => (await import('../token-command.ts')).tokenSave());
}
