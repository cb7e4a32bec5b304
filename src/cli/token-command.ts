import { pino } from 'pino';
import type { TokenRecord } from '../modules/tokens/token.ts';
import { tokenView } from '../modules/tokens/token-routes.ts';
import { CLI_PRINCIPAL, type TokenService } from '../modules/tokens/token-service.ts';
import { openRuntime } from '../runtime/runtime.ts';
import { cliConfig, readConfig, type GlobalOptions } from './cli-config.ts';
import { printJson, printTable, shortTime, type Column } from './output.ts';

export interface TokenCreateOptions {
  scope: string;
  team?: string;
  session?: string;
  name?: string;
  json?: boolean;
}

export interface TokenListOptions {
  json?: boolean;
}

const COLUMNS: Column<TokenRecord>[] = [
  { header: 'id', value: (t) => t.id },
  { header: 'name', value: (t) => t.name ?? '' },
  { header: 'scopes', value: (t) => t.scopes.join(',') },
  { header: 'team', value: (t) => t.teamId ?? '' },
  { header: 'session', value: (t) => t.sessionId ?? '' },
  { header: 'created', value: (t) => shortTime(t.createdAt.toISOString()) },
  { header: 'revoked', value: (t) => (t.revokedAt ? shortTime(t.revokedAt.toISOString()) : '') },
];

export async function tokenCreate(globals: GlobalOptions, options: TokenCreateOptions): Promise<void> {
  await withTokens(globals, async (tokens) => {
    const { token, record } = await tokens.create(
      {
        scopes: options.scope.split(','),
        name: options.name ?? null,
        teamId: options.team ?? null,
        sessionId: options.session ?? null,
      },
      CLI_PRINCIPAL,
    );
    if (options.json) {
      printJson({ ...tokenView(record), token });
    } else {
      // The token alone on stdout, so `TOKEN=$(hookd token create ...)` captures just it.
      process.stdout.write(`${token}\n`);
    }
    process.stderr.write(
      `hookd: created token ${record.id} (${record.scopes.join(', ')}); copy it now: it is stored only as a hash and will not be shown again\n`,
    );
  });
}

export async function tokenList(globals: GlobalOptions, options: TokenListOptions): Promise<void> {
  readConfig(globals);
  await withTokens(globals, async (tokens) => {
    const records = await tokens.list(CLI_PRINCIPAL);
    if (options.json) printJson({ items: records.map(tokenView) });
    else if (records.length === 0) process.stdout.write('no tokens; create one with: hookd token create --scope ingest\n');
    else printTable(COLUMNS, records);
  });
}

export async function tokenRevoke(globals: GlobalOptions, id: string): Promise<void> {
  await withTokens(globals, async (tokens) => {
    await tokens.revoke(id, CLI_PRINCIPAL);
    process.stdout.write(`revoked ${id}\n`);
  });
}

async function withTokens(globals: GlobalOptions, fn: (tokens: TokenService) => Promise<void>): Promise<void> {
  const config = cliConfig(globals);
  // Token changes write their `audit` line to stderr, as the server writes its log.
  const log = pino({ level: config.logLevel, base: { pid: process.pid } }, pino.destination(2));
  const { services } = await openRuntime(config, { applicationName: 'hookd-token', log }, 'API tokens');
  try {
    await fn(services.tokens);
  } finally {
    await services.close();
  }
}
