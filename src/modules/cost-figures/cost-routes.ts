import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { ErrorOut } from '../../core/error-out.ts';
import { CostOut, CostQuerySchema } from './cost-schemas.ts';
import type { CostService } from './cost-service.ts';

export function costRoutes(app: FastifyInstance, cost: CostService): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get(
    '/analytics/cost',
    {
      // The store query narrows to the token's team, and a session-bound token to its session.
      config: { scope: 'read', access: 'session' },
      schema: {
        summary: 'Tokens and cost of the model requests, per day, model, project, team, source or session, with the totals',
        tags: ['analytics'],
        querystring: CostQuerySchema,
        response: { 200: CostOut, 400: ErrorOut, 403: ErrorOut, 501: ErrorOut },
      },
    },
    async (request) => cost.cost(request.query, request.principal),
  );
}
