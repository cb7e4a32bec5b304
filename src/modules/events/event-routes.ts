import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorOut } from '../../core/error-out.ts';
import type { EventQueryService } from './event-query-service.ts';
import { EventList, EventListQuery, EventOut } from './event-schemas.ts';

/** GET /events and /events/:event_id. */
export function eventRoutes(app: FastifyInstance, events: EventQueryService): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/events',
    {
      config: { scope: 'read', access: 'session' },
      schema: {
        summary: 'List events, newest first',
        tags: ['events'],
        querystring: EventListQuery,
        response: { 200: EventList, 400: ErrorOut, 501: ErrorOut },
      },
    },
    async (request) => events.list(request.query, request.principal),
  );

  r.get(
    '/events/:event_id',
    {
      config: { scope: 'read', access: 'session' },
      schema: {
        summary: 'One event by id',
        tags: ['events'],
        params: Type.Object({ event_id: Type.String({ minLength: 1, maxLength: 255 }) }),
        querystring: Type.Object({ session_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })) }),
        response: { 200: EventOut, 404: ErrorOut, 501: ErrorOut },
      },
    },
    async (request) => events.get(request.params.event_id, request.principal, request.query.session_id),
  );
}
