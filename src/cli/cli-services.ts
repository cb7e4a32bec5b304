import { pino } from 'pino';
import type { Services } from '../runtime/services.ts';
import { openRuntime } from '../runtime/runtime.ts';
import { cliConfig, readConfig, type GlobalOptions } from './cli-config.ts';

/**
 * One-shot use of the services of the storage, without the server's SQLite threads; what
 * the command changes writes its `audit` line to stderr, as the server writes its log.
 * `creates`: the command may start a database (a write); a read never does.
 */
export async function withServices(
  globals: GlobalOptions,
  what: string,
  run: (services: Services) => Promise<void>,
  creates = false,
): Promise<void> {
  const config = creates ? cliConfig(globals) : readConfig(globals);
  const log = pino({ level: config.logLevel, base: { pid: process.pid } }, pino.destination(2));
  const runtime = await openRuntime(config, { applicationName: 'hookd-cli', serverThreads: false, log }, what);
  try {
    await run(runtime.services);
  } finally {
    await runtime.services.close();
  }
}
