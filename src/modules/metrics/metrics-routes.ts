import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Services } from '../../server/services.ts';

const Percentiles = Type.Object({ p50: Type.Number(), p95: Type.Number(), p99: Type.Number(), samples: Type.Integer() });

export function metricsRoutes(app: FastifyInstance, services: Services): void {
  app.get(
    '/metrics',
    {
      config: { scope: 'read' },
      schema: {
        summary: 'Counters, ingest latency percentiles (last 4096 requests) and queue depth',
        tags: ['metrics'],
        response: {
          200: Type.Object({
            events_received_total: Type.Integer(),
            events_stored_total: Type.Integer(),
            storage_errors_total: Type.Integer(),
            events_duplicate_total: Type.Integer(),
            uptime_seconds: Type.Number(),
            queue_depth: Type.Integer(),
            ingest_latency_ms: Percentiles,
          }),
        },
      },
    },
    async () => services.metrics.summary(),
  );
  app.get(
    '/metrics/prometheus',
    { config: { scope: 'read' }, schema: { summary: 'Prometheus exposition format', tags: ['metrics'] } },
    async (_request, reply) => {
      const text = await services.metrics.prometheus();
      return reply.type(services.metrics.registry.contentType).send(text);
    },
  );
}
