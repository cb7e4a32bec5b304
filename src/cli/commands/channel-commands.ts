import type { Command } from 'commander';

// Registrations only, like ../commands.ts: each command's module is imported when it runs.

export function registerChannelCommands(program: Command): void {
  const channels = program
    .command('channels')
    .description('Where notifications go: generic webhooks, Slack, Discord, email (SMTP) and ntfy');
  const load = () => import('../channels-command.ts');
  channels
    .command('add')
    .description('Add a channel; its URL and secret are sealed at rest')
    .argument('<channel_id>', 'an id of your choosing: 1-100 of A-Z a-z 0-9 _ . -')
    .requiredOption('--kind <kind>', 'webhook, slack, discord, email or ntfy')
    .requiredOption(
      '--url <url>',
      'the webhook URL; email: smtp(s)://[user@]host[:port]?from=ADDR&to=ADDR[,ADDR]; ntfy: the topic URL (- reads it from stdin, out of the shell history)',
    )
    .option(
      '--secret <secret>',
      "a webhook's signing secret (whsec_...), the SMTP password of an email channel, an ntfy access token (tk_...); - reads it from stdin",
    )
    .option('--generate-secret', 'make a signing secret for a webhook channel and print it once')
    .option('--name <name>', 'a name to show')
    .option('--team <team_id>', "the owning team (default: the installation's, for every team's rules)")
    .option('--json', 'print the reply of POST /channels')
    .action(async (id: string, options) => (await load()).channelsAddCommand(program.opts(), id, options));
  channels
    .command('list')
    .description('Every channel, URLs redacted')
    .option('--json', 'print {items} as GET /channels does')
    .action(async (options) => (await load()).channelsListCommand(program.opts(), options));
  channels
    .command('test')
    .description('Send a real test message and print what the receiver answered')
    .argument('<channel_id>', 'channel id')
    .option('--json', 'print the reply of POST /channels/{id}/test')
    .action(async (id: string, options) => (await load()).channelsTestCommand(program.opts(), id, options));
  channels
    .command('pause')
    .description('Hold its notifications back until resumed')
    .argument('<channel_id>', 'channel id')
    .option('--reason <text>', 'why, shown with the channel')
    .action(async (id: string, options) => (await load()).channelsPauseCommand(program.opts(), id, true, options));
  channels
    .command('resume')
    .description('Deliver its notifications again')
    .argument('<channel_id>', 'channel id')
    .action(async (id: string) => (await load()).channelsPauseCommand(program.opts(), id, false, {}));
  channels
    .command('remove')
    .description('Remove a channel')
    .argument('<channel_id>', 'channel id')
    .action(async (id: string) => (await load()).channelsRemoveCommand(program.opts(), id));

  const config = program.command('config').description('The config store: installation-wide settings, secrets sealed at rest');
  const loadConfig = () => import('../config-command.ts');
  config
    .command('get')
    .description('Print a value (a secret redacted)')
    .argument('<key>', 'config key')
    .option('--default <value>', 'print this when the key is not set, instead of failing')
    .option('--json', 'print the reply of GET /config/{key}')
    .action(async (key: string, options) => (await loadConfig()).configGetCommand(program.opts(), key, options));
  config
    .command('set')
    .description('Set a value')
    .argument('<key>', 'config key')
    .argument('<value>', 'the value; - reads it from stdin (for secrets: out of the shell history)')
    .option('--secret', 'seal the value at rest; it is then only ever shown redacted')
    .action(async (key: string, value: string, options) => (await loadConfig()).configSetCommand(program.opts(), key, value, options));
  config
    .command('list')
    .description('Every entry, secrets redacted')
    .option('--json', 'print {items} as GET /config does')
    .action(async (options) => (await loadConfig()).configListCommand(program.opts(), options));
  config
    .command('unset')
    .description('Remove an entry')
    .argument('<key>', 'config key')
    .action(async (key: string) => (await loadConfig()).configUnsetCommand(program.opts(), key));
}
