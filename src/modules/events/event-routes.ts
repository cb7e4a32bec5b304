import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Services } from '../../runtime/services.ts';
import { Accepted, EventIn, EventList, EventListQuery, EventOut } from './event-schemas.ts';
import { ErrorOut } from '../../core/error-out.ts';

const ACCEPTED_MESSAGE = 'Events accepted';
const NO_EVENTS_MESSAGE = 'No events provided';
// The ingest normalizer validates bodies and names every bad field and index; a second
// validation by the schema would only cost time on the hot path.
export const noValidation = () => (value: unknown) => ({ value });

export function eventRoutes(app: FastifyInstance, services: Services): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const errors = { 400: ErrorOut, 413: ErrorOut, 415: ErrorOut, 503: ErrorOut };

  r.post(
    '/events',
    {
      config: { scope: 'ingest', access: 'session', normalizedBody: true },
      validatorCompiler: noValidation,
      schema: {
        summary: 'Store one event',
        tags: ['ingest'],
        body: EventIn,
        response: { 202: Accepted, ...errors },
      },
    },
    async (request, reply) => {
      const result = await services.ingest.ingestOne(request.body, request.principal);
      return reply.code(202).send({ ...result, message: ACCEPTED_MESSAGE });
    },
  );

  r.post(
    '/events/batch',
    {
      config: { scope: 'ingest', access: 'session', normalizedBody: true },
      validatorCompiler: noValidation,
      schema: {
        summary: 'Store a batch of events atomically',
        tags: ['ingest'],
        body: Type.Array(EventIn),
        response: { 202: Accepted, ...errors },
      },
    },
    async (request, reply) => {
      const result = await services.ingest.ingestBatch(request.body, request.principal);
      const empty = result.accepted === 0;
      return reply.code(202).send({ ...result, message: empty ? NO_EVENTS_MESSAGE : ACCEPTED_MESSAGE });
    },
  );

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
    async (request) => services.events.list(request.query, request.principal),
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
    async (request) => services.events.get(request.params.event_id, request.principal, request.query.session_id),
  );
}
