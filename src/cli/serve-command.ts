import { mkdirSync } from 'node:fs';
import { pino } from 'pino';
import { describeStorage } from '../core/config.ts';
import { isUnavailable } from '../db/storage-error.ts';
import { ConfigError } from '../core/app-error.ts';
import { version } from '../core/version.ts';
import { buildApp } from '../http/app.ts';
import { isLoopbackAddress } from '../http/auth.ts';
import { openAnyRuntime, type JsonlRuntime, type Runtime } from '../runtime/runtime.ts';
import { cliConfig, type GlobalOptions } from './cli-config.ts';

const LOOPBACK_NAMES = new Set(['localhost', '::1']);

export async function serve(options: GlobalOptions): Promise<void> {
  const config = cliConfig(options);
  const logger = pino({
    level: config.logLevel,
    base: { pid: process.pid },
    redact: { paths: ['req.headers.authorization', '*.password', '*.token'], censor: '[redacted]' },
  });
  logger.info({ storage: describeStorage(config), version: version() }, 'hookd starting');

  const runtime = await openWithRetry(
    () =>
      openAnyRuntime(config, {
        applicationName: 'hookd-serve',
        log: logger,
        background: {
          // Only the code: a driver's message may quote data or the database URL.
          onError: (what, error) => logger.warn({ code: (error as { code?: string }).code }, `${what} failed`),
          onStaleSessions: (count) => logger.info({ sessions: count }, 'ended stale sessions'),
          // Every minute by default: visible with LOG_LEVEL=debug.
          onJobRun: (name, result) => logger.debug({ job: name }, result),
        },
      }),
    logger,
  );
  const { services } = runtime;

  const loopback = LOOPBACK_NAMES.has(config.host) || isLoopbackAddress(config.host);
  // JSONL keeps no tokens: it serves loopback clients only.
  if (!loopback && !(services.storage !== 'jsonl' && (await services.tokens.required()))) {
    await services.close();
    throw new ConfigError(
      `refusing to listen on ${config.host} while no API token exists: create one with 'hookd token create --scope admin' first`,
    );
  }

  if (services.storage !== 'jsonl') {
    // Now rather than at the first sign-in: a key file others may read stops the start.
    const key = await Promise.resolve()
      .then(() => {
        // The key file lives in the home, which a database kept elsewhere (HOOKD_DATABASE_URL)
        // has not made: make it as the SQLite file's directory is made.
        if (services.storage === 'sqlite' && !config.secretKey) mkdirSync(config.home, { recursive: true, mode: 0o700 });
        return services.secretKey();
      })
      .then(async (key) => {
        // A key of another id's bytes would fail on every stored secret: refuse it now.
        await services.sealer.check();
        return key;
      })
      .catch(async (error: unknown) => {
        await services.close();
        throw error;
      });
    logger.info(
      { secret_key: key ? key.origin : 'none' },
      key ? 'dashboard sign-in enabled' : 'dashboard sign-in needs HOOKD_SECRET_KEY on PostgreSQL; API tokens work without it',
    );
  }

  const app = await buildApp(services, { logger });
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}` }, 'hookd listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'hookd stopping: no new requests, finishing queued writes');
    const force = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    // Closing the server first stops new requests; in-flight ones complete, then the
    // writer drains whatever they queued, then the pool closes.
    await app.close();
    await services.close();
    logger.info('hookd stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

/** PostgreSQL may come up after hookd (compose, Kubernetes): keep trying for a while. */
async function openWithRetry<R extends Runtime | JsonlRuntime>(open: () => Promise<R>, logger: pino.Logger, attempts = 30): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await open();
    } catch (error) {
      if (!isUnavailable(error) || attempt >= attempts) throw error;
      logger.warn({ attempt, code: (error as { code?: string }).code }, 'storage unreachable; retrying in 1 s');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}
