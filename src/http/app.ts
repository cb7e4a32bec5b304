import { createServer } from 'node:http';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../core/config.ts';
import type { ServiceLog } from '../core/audit-log.ts';
import { ingestRoutes } from '../modules/events/ingest-routes.ts';
import type { IngestService } from '../modules/events/ingest-service.ts';
import { healthRoutes } from '../modules/health/health-routes.ts';
import type { HealthService } from '../modules/health/health-service.ts';
import { hookRoutes } from '../modules/hooks/hook-routes.ts';
import { telemetryRoutes } from '../modules/telemetry/telemetry-routes.ts';
import { metricsRoutes } from '../modules/metrics/metrics-routes.ts';
import type { MetricsService } from '../modules/metrics/metrics-service.ts';
import fastifyCookie from '@fastify/cookie';
import { registerAuth } from './auth.ts';
import { dashboardRoutes } from './dashboard-routes.ts';
import { dashboardSessions } from './dashboard-session.ts';
import { dashboardSessionRoutes } from './dashboard-session-routes.ts';
import { registerErrorHandling } from './error-handler.ts';
import { registerInputGuard } from './input-guard.ts';
import { registerOpenApi } from './openapi.ts';
import { queryRoutes, type QueryServices } from './query-routes.ts';
import { queryRoutesWithoutReadBack } from './without-read-back.ts';
import { UnavailableError } from '../core/app-error.ts';

/** What every storage serves: ingest, health and metrics. */
interface IngestOnly {
  config: Config;
  ingest: IngestService;
  metrics: MetricsService;
  health: HealthService;
  /** Where `audit` lines go. */
  log: ServiceLog;
}

/** The services HTTP is built on: all of them, or (JSONL, an append-only file) ingest only. */
export type AppServices = (IngestOnly & QueryServices & { storage: 'sqlite' | 'postgres' }) | (IngestOnly & { storage: 'jsonl' });

export interface AppOptions {
  logger?: FastifyBaseLogger | false;
}

const INGEST_ROUTES = new Set(['/events', '/events/batch', '/hooks/:source']);

/** The composition root's last step: HTTP on top of ready services. */
export async function buildApp(services: AppServices, options: AppOptions = {}): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: services.config.limits.maxBodyBytes,
    // Session and event ids in paths may be 255 characters, several times that once percent-encoded.
    routerOptions: { maxParamLength: 4096 },
    // Keys such as "__proto__" inside agent payloads are data: JSON.parse makes them own
    // properties, hookd never merges payloads into objects, so they are stored as sent.
    onProtoPoisoning: 'ignore',
    onConstructorPoisoning: 'ignore',
    // A log line per request would cost more than storing the event.
    logController: new LogController({ disableRequestLogging: true }),
    // hookd answers requests during shutdown itself (below), in its own error format.
    return503OnClosing: false,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: true } },
    serverFactory: (handler) => {
      // A request whose body never finishes would hold its connection for ever: Node
      // answers 408 and closes once the whole request has not arrived in time. Node looks
      // for such connections every `connectionsCheckingInterval`, 30 s by default.
      const timeout = services.config.limits.requestTimeoutMs;
      return createServer(
        { requestTimeout: timeout, headersTimeout: Math.min(60_000, timeout), connectionsCheckingInterval: Math.min(1000, timeout) },
        handler,
      );
    },
  });

  registerErrorHandling(app);
  registerInputGuard(app, services.config.limits.maxDataDepth);
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (_request, reply) => {
    if (!closing) return;
    void reply.header('connection', 'close');
    throw new UnavailableError('shutting_down', 'hookd is shutting down; retry against another instance', 5);
  });
  await app.register(fastifyCookie);
  const sessions = services.storage === 'jsonl' ? null : dashboardSessions(services.tokens, services.secretKey);
  registerAuth(app, services.storage === 'jsonl' ? null : services.tokens, services.log, sessions);
  // After auth, whose onRoute check then covers /openapi.json too.
  registerOpenApi(app);

  app.addHook('onResponse', async (request, reply) => {
    const url = request.routeOptions.url;
    // Acknowledged ingest requests: 202 for events, 200 for hook payloads.
    if (url && INGEST_ROUTES.has(url) && (reply.statusCode === 202 || reply.statusCode === 200)) {
      services.metrics.ingestLatency(url, reply.elapsedTime);
    }
  });

  healthRoutes(app, services.health);
  metricsRoutes(app, services.metrics);
  ingestRoutes(app, services.ingest);
  hookRoutes(app, services.ingest);
  await telemetryRoutes(app, services.ingest, services.config.limits);
  await dashboardRoutes(app);
  if (services.storage === 'jsonl') {
    queryRoutesWithoutReadBack(app, services.storage);
  } else {
    dashboardSessionRoutes(app, sessions!, services.tokens, services.log);
    queryRoutes(app, services, services.config.stream.bufferBytes);
    const stream = services.stream;
    // Open streams would keep close() waiting for ever: end them first, with a comment telling
    // clients to reconnect (to another instance, or to this one once it is back).
    app.addHook('preClose', async () => {
      await stream.close();
    });
  }
  await app.ready();
  return app;
}
