import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorOut } from '../../core/error-out.ts';
import { Accepted, EventIn } from './event-schemas.ts';
import type { IngestService } from './ingest-service.ts';

const ACCEPTED_MESSAGE = 'Events accepted';
const NO_EVENTS_MESSAGE = 'No events provided';
// The ingest normalizer validates bodies and names every bad field and index; a second
// validation by the schema would only cost time on the hot path.
export const noValidation = () => (value: unknown) => ({ value });

/** POST /events and /events/batch: served by every storage, JSONL included. */
export function ingestRoutes(app: FastifyInstance, ingest: IngestService): void {
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
      const result = await ingest.ingestOne(request.body, request.principal);
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
      const result = await ingest.ingestBatch(request.body, request.principal);
      const empty = result.accepted === 0;
      return reply.code(202).send({ ...result, message: empty ? NO_EVENTS_MESSAGE : ACCEPTED_MESSAGE });
    },
  );
}
