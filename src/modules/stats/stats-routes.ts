import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorOut } from '../../core/error-out.ts';
import { EventActivityOut, EventActivityQuery, SessionActivityOut, SessionActivityQuery } from './stats-schemas.ts';
import type { StatsService } from './stats-service.ts';

const errors = { 400: ErrorOut, 403: ErrorOut, 501: ErrorOut };

export function statsRoutes(app: FastifyInstance, stats: StatsService): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['stats'];

  r.get(
    '/stats/events',
    {
      // Counted per team, not per session: a session-bound token is refused, as on analytics across sessions.
      config: { scope: 'read', access: 'team' },
      schema: {
        summary: 'Events per minute over the last N minutes, by event time',
        tags,
        querystring: EventActivityQuery,
        response: { 200: EventActivityOut, ...errors },
      },
    },
    async (request) => stats.events(request.query, request.principal),
  );

  r.get(
    '/stats/sessions',
    {
      config: { scope: 'read', access: 'session' },
      schema: {
        summary: 'Open sessions active and idle now, and sessions ended since a time',
        tags,
        querystring: SessionActivityQuery,
        response: { 200: SessionActivityOut, ...errors },
      },
    },
    async (request) => stats.sessionCounts(request.query, request.principal),
  );
}
