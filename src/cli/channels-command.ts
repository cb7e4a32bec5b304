import { readFileSync } from 'node:fs';
import { AppError } from '../core/app-error.ts';
import { CLI_PRINCIPAL } from '../modules/tokens/token-service.ts';
import type { ChannelView } from '../modules/channels/channel-service.ts';
import { newWebhookSecret } from '../modules/channels/webhook-payload.ts';
import type { GlobalOptions } from './cli-config.ts';
import { withServices } from './cli-services.ts';
import { printJson, printTable, shortTime, type Column } from './output.ts';

const COLUMNS: Column<ChannelView>[] = [
  { header: 'channel', value: (c) => c.channel_id },
  { header: 'kind', value: (c) => c.kind },
  { header: 'team', value: (c) => c.team_id ?? '(installation)' },
  { header: 'url', value: (c) => c.url },
  { header: 'state', value: (c) => (c.paused ? `paused: ${c.paused_reason ?? ''}` : 'active') },
  { header: 'updated', value: (c) => shortTime(c.updated_at) },
];

const WHAT = 'notification channels';
/** A value given as `-` is read from stdin, so a secret never reaches the shell history. */
const orStdin = (value: string | undefined) => (value === '-' ? readFileSync(0, 'utf8').trim() : value);

export interface ChannelsAddOptions {
  kind: string;
  url: string;
  secret?: string;
  generateSecret?: boolean;
  name?: string;
  team?: string;
  json?: boolean;
}

/** `hookd channels add ID --kind K --url U`; an email password or ntfy token as `--secret -`, from stdin. */
export async function channelsAddCommand(globals: GlobalOptions, id: string, options: ChannelsAddOptions): Promise<void> {
  // stdin holds one value: the second read would find it empty and store "" as the other.
  if (options.url === '-' && options.secret === '-')
    throw new AppError('invalid_argument', '--url - and --secret -: stdin holds one of them; give the URL on the command line', 400);
  if (options.generateSecret && options.kind !== 'webhook')
    throw new AppError(
      'invalid_argument',
      `--generate-secret makes a webhook signing secret; give a ${options.kind} channel's secret with --secret`,
      400,
    );
  const secret = options.generateSecret ? newWebhookSecret() : orStdin(options.secret);
  const input = {
    channel_id: id,
    kind: options.kind,
    url: orStdin(options.url) ?? '',
    ...(secret !== undefined ? { secret } : {}),
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.team !== undefined ? { team_id: options.team } : {}),
  };
  await withServices(
    globals,
    WHAT,
    async ({ channels }) => {
      const channel = await channels.create(input, CLI_PRINCIPAL);
      if (options.json) return printJson(channel);
      process.stdout.write(`added ${channel.kind} channel ${channel.channel_id} (${channel.url})\n`);
      // Shown once: hookd keeps it sealed and never prints it again.
      if (options.generateSecret) process.stdout.write(`signing secret (verify deliveries with it; shown once): ${secret}\n`);
      process.stdout.write(`try it: hookd channels test ${channel.channel_id}\n`);
    },
    true,
  );
}

export async function channelsListCommand(globals: GlobalOptions, options: { json?: boolean }): Promise<void> {
  await withServices(globals, WHAT, async ({ channels }) => {
    const list = await channels.list(CLI_PRINCIPAL);
    if (options.json) return printJson(list);
    if (list.items.length === 0)
      process.stdout.write('no channels yet: hookd channels add ID --kind slack --url https://hooks.slack.com/...\n');
    else printTable(COLUMNS, list.items);
  });
}

/** `hookd channels test ID`: a real message; exits 1 when it was not delivered. */
export async function channelsTestCommand(globals: GlobalOptions, id: string, options: { json?: boolean }): Promise<void> {
  await withServices(globals, WHAT, async ({ channels }) => {
    const result = await channels.test(id, CLI_PRINCIPAL);
    if (options.json) printJson(result);
    else {
      // An email channel's status code is the SMTP server's reply code.
      const protocol = (await channels.get(id, CLI_PRINCIPAL)).kind === 'email' ? 'SMTP' : 'HTTP';
      const status = result.status_code === null ? 'no answer' : `${protocol} ${result.status_code}`;
      process.stdout.write(
        `${result.delivered ? 'delivered' : 'NOT delivered'} to ${id}: ${status} in ${result.latency_ms} ms (${result.reason})\n`,
      );
      if (result.response_excerpt) process.stdout.write(`receiver answered: ${result.response_excerpt.slice(0, 500)}\n`);
    }
    if (!result.delivered) process.exitCode = 1;
  });
}

export async function channelsPauseCommand(
  globals: GlobalOptions,
  id: string,
  paused: boolean,
  options: { reason?: string },
): Promise<void> {
  await withServices(globals, WHAT, async ({ channels }) => {
    const channel = await channels.setPaused(id, paused, options.reason ?? null, CLI_PRINCIPAL);
    process.stdout.write(paused ? `paused ${id}: ${channel.paused_reason}\n` : `resumed ${id}\n`);
  });
}

export async function channelsRemoveCommand(globals: GlobalOptions, id: string): Promise<void> {
  await withServices(globals, WHAT, async ({ channels }) => {
    await channels.remove(id, CLI_PRINCIPAL);
    process.stdout.write(`removed ${id}\n`);
  });
}
