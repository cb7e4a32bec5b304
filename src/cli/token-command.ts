import { writeFileAtomically } from './write-file-atomically.ts';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { AppError } from '../core/app-error.ts';
import { hookdHome, TOKEN_FILE } from '../modules/emit/emit-settings.ts';
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

/**
 * `hookd token save`: the token for hooks whose environment cannot carry HOOKD_TOKEN
 * (an agent that clears it, a hook started by a desktop app). Read from stdin, so it
 * stays out of the shell history and the process list; never printed back.
 */
export async function tokenSave(): Promise<void> {
  const token = checkedToken(process.stdin.isTTY ? await readHidden() : await readAll(process.stdin));
  const home = hookdHome(process.env);
  await mkdir(home, { recursive: true, mode: 0o700 });
  const path = join(home, TOKEN_FILE);
  await writeFileAtomically(path, `${token}\n`, 0o600);
  process.stdout.write(`saved the token in ${path} (mode 600); hookd emit sends it to HOOKD_URL when HOOKD_TOKEN is not set\n`);
}

function checkedToken(input: string): string {
  const token = input.trim();
  const invalid = (problem: string) => new AppError('invalid_argument', `${problem}; nothing saved`, 400);
  if (token === '') throw invalid('no token on stdin: pipe one in, e.g. `hookd token create --scope ingest | hookd token save`');
  if (/[\r\n]/.test(token)) throw invalid('stdin holds several lines: give the token alone, on one line');
  if (!/^[\x21-\x7e]+$/.test(token))
    throw invalid('the token holds characters an HTTP header cannot carry (spaces, control or non-ASCII characters)');
  return token;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** A terminal: ask, and read one line without echoing it, as a password prompt does. */
function readHidden(): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write('token (not shown as you type or paste it), then Enter: ');
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let text = '';
    const finish = (settle: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      settle();
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish(() => resolve(text));
        if (char === '\u0003') return finish(() => reject(new AppError('cancelled', 'cancelled; nothing saved', 400)));
        text = char === '\u007f' || char === '\b' ? text.slice(0, -1) : text + char;
      }
    };
    stdin.on('data', onData);
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
