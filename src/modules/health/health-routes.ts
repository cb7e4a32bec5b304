import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { HealthService } from './health-service.ts';

const Health = Type.Object({
  status: Type.Union([Type.Literal('healthy'), Type.Literal('unhealthy')]),
  storage: Type.String(),
  version: Type.String(),
  database_healthy: Type.Boolean({ description: 'the storage answered' }),
  recent_executions_count: Type.Union([Type.Integer(), Type.Null()], {
    description: 'hook executions started in the last hour; null with JSONL storage or when the storage did not answer',
  }),
  error: Type.Optional(Type.String()),
});

export function healthRoutes(app: FastifyInstance, health: HealthService): void {
  const respond = { 200: Health, 503: Health };
  app.get('/health', { schema: { summary: 'Storage reachability', tags: ['health'], response: respond } }, async (_request, reply) => {
    const report = await health.check();
    return reply.code(report.status === 'healthy' ? 200 : 503).send(report);
  });
  // Liveness: the process answers; it must not depend on the database, or an outage
  // would make an orchestrator restart every healthy hookd at once.
  app.get(
    '/health/live',
    { schema: { summary: 'Process liveness', tags: ['health'], response: { 200: Type.Object({ status: Type.Literal('alive') }) } } },
    async () => ({ status: 'alive' as const }),
  );
  app.get(
    '/health/ready',
    { schema: { summary: 'Ready to take traffic', tags: ['health'], response: respond } },
    async (_request, reply) => {
      const report = await health.check();
      return reply.code(report.status === 'healthy' ? 200 : 503).send(report);
    },
  );
}
