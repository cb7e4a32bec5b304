import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { noBodyIsEmpty } from '../../core/no-body-is-empty.ts';
import { ErrorOut } from '../../core/error-out.ts';
import { DEFAULT_END_REASON, type SessionOperationService } from './session-operation-service.ts';
import { SessionCreateIn, SessionEndIn, SessionIdleIn, SessionIdParams, SessionOut, SessionUpsertIn } from './session-schemas.ts';

const WRITE_NOTE =
  'Recorded as an event (source `api`) through the ingest path, so a rebuild reproduces it; ' +
  'the reply is the session as stored once that event is committed.';

/** Explicit session writes (seed 003's session manager); a bound token acts only on its own session. */
export function sessionWriteRoutes(app: FastifyInstance, ops: SessionOperationService): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const errors = { 400: ErrorOut, 404: ErrorOut, 415: ErrorOut, 501: ErrorOut, 503: ErrorOut };
  const write = { scope: 'ingest' as const, access: 'session' as const };

  r.post(
    '/sessions',
    {
      config: { ...write, audit: 'session.create' },
      schema: {
        summary: 'Create a session (409 session_exists when it exists: PUT updates one)',
        description: `Stores a session_started event. ${WRITE_NOTE}`,
        tags: ['sessions'],
        body: SessionCreateIn,
        response: { 201: SessionOut, 409: ErrorOut, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await ops.create(request.body, request.principal)),
  );

  r.put(
    '/sessions/:id',
    {
      config: { ...write, audit: 'session.update' },
      preValidation: noBodyIsEmpty,
      schema: {
        summary: 'Create the session or update the metadata given (201 created, 200 updated)',
        description: `Stores a session_updated event. ${WRITE_NOTE}`,
        tags: ['sessions'],
        params: SessionIdParams,
        body: SessionUpsertIn,
        response: { 200: SessionOut, 201: SessionOut, ...errors },
      },
    },
    async (request, reply) => {
      const { session, created } = await ops.upsert(request.params.id, request.body, request.principal);
      return reply.code(created ? 201 : 200).send(session);
    },
  );

  r.post(
    '/sessions/:id/activity',
    {
      config: { ...write, audit: 'session.activity' },
      schema: {
        summary: 'Touch the last activity; ends idleness (and a stale end)',
        description: `Stores a session_activity event. ${WRITE_NOTE}`,
        tags: ['sessions'],
        params: SessionIdParams,
        response: { 200: SessionOut, ...errors },
      },
    },
    async (request) => ops.touch(request.params.id, request.principal),
  );

  r.post(
    '/sessions/:id/idle',
    {
      config: { ...write, audit: 'session.idle' },
      preValidation: noBodyIsEmpty,
      schema: {
        summary: 'Mark the session idle (waiting for the user), or busy again with {"idle": false}',
        description: `Stores a session_idle event. ${WRITE_NOTE}`,
        tags: ['sessions'],
        params: SessionIdParams,
        body: SessionIdleIn,
        response: { 200: SessionOut, ...errors },
      },
    },
    async (request) => ops.setIdle(request.params.id, request.body.idle ?? true, request.principal),
  );

  r.post(
    '/sessions/:id/end',
    {
      config: { ...write, audit: 'session.end' },
      preValidation: noBodyIsEmpty,
      schema: {
        summary: `End the session with a reason (default ${DEFAULT_END_REASON})`,
        description: `Stores a session_ended event. ${WRITE_NOTE}`,
        tags: ['sessions'],
        params: SessionIdParams,
        body: SessionEndIn,
        response: { 200: SessionOut, ...errors },
      },
    },
    async (request) => ops.end(request.params.id, request.body.reason ?? DEFAULT_END_REASON, request.principal),
  );

  r.delete(
    '/sessions/:id',
    {
      config: { scope: 'admin', access: 'session', audit: 'session.delete' },
      schema: {
        summary: 'Delete the session, its tool uses and all its events (admin)',
        description: 'Removed in one transaction and not recorded as an event: nothing of the session is left to rebuild.',
        tags: ['sessions'],
        params: SessionIdParams,
        response: { 204: Type.Null({ description: 'Deleted' }), 403: ErrorOut, 404: ErrorOut, 501: ErrorOut, 503: ErrorOut },
      },
    },
    async (request, reply) => {
      await ops.delete(request.params.id, request.principal);
      return reply.code(204).send(null);
    },
  );
}
