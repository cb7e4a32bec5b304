import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { MetricsService } from './metrics-service.ts';

const Percentiles = Type.Object({ p50: Type.Number(), p95: Type.Number(), p99: Type.Number(), samples: Type.Integer() });

export function metricsRoutes(app: FastifyInstance, metrics: MetricsService): void {
  app.get(
    '/metrics',
    {
      config: { scope: 'read', access: 'server' },
      schema: {
        summary: 'Counters, ingest latency percentiles (last 4096 requests), queue depth and how far the derivation trails',
        tags: ['metrics'],
        response: {
          200: Type.Object({
            events_received_total: Type.Integer(),
            events_stored_total: Type.Integer(),
            storage_errors_total: Type.Integer({ description: 'Events the storage could not store' }),
            events_rejected_total: Type.Integer({
              description: "Events turned away before the storage was asked: overload, shutdown, another team's session",
            }),
            events_duplicate_total: Type.Integer(),
            uptime_seconds: Type.Number(),
            queue_depth: Type.Integer(),
            ingest_latency_ms: Percentiles,
            // Null with JSONL storage, which derives nothing.
            derivation: Type.Union([
              Type.Object({
                backlog_events: Type.Integer({ description: 'Events stored and not yet derived into sessions, tool calls and rollups' }),
                lag_seconds: Type.Number({ description: 'Age of the oldest of them; 0 when the derivation has caught up' }),
                stored_events: Type.Integer({ description: 'Events stored by every writer sharing the database (the highest event id)' }),
                from_other_writers: Type.Integer({
                  description: "Events this process's derivation took that another writer stored (hookd emit, another process)",
                }),
              }),
              Type.Null(),
            ]),
          }),
        },
      },
    },
    async () => metrics.summary(),
  );
  app.get(
    '/metrics/prometheus',
    { config: { scope: 'read', access: 'server' }, schema: { summary: 'Prometheus exposition format', tags: ['metrics'] } },
    async (_request, reply) => {
      const text = await metrics.prometheus();
      return reply.type(metrics.registry.contentType).send(text);
    },
  );
}
