import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorOut } from '../../core/error-out.ts';
import type { ExecutionService } from './execution-service.ts';
import {
  ExecutionCreateIn,
  ExecutionIdParams,
  ExecutionList,
  ExecutionListQuery,
  ExecutionOut,
  ExecutionUpdateIn,
} from './execution-schemas.ts';

/** Hook executions (seed 000): recorded with the ingest scope, read with the read scope. */
export function executionRoutes(app: FastifyInstance, executions: ExecutionService): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['executions'];
  const errors = { 400: ErrorOut, 403: ErrorOut, 415: ErrorOut, 501: ErrorOut };

  r.post(
    '/executions',
    {
      config: { scope: 'ingest', access: 'team' },
      schema: {
        summary: 'Record that a hook started running (status RUNNING); answers the execution with its new execution_id',
        tags,
        body: ExecutionCreateIn,
        response: { 201: ExecutionOut, 413: ErrorOut, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await executions.create(request.body, request.principal)),
  );

  r.patch(
    '/executions/:execution_id',
    {
      config: { scope: 'ingest', access: 'team' },
      schema: {
        summary: 'Record progress or the outcome (SUCCESS, FAILED, TIMEOUT, CANCELLED: final; changing a final status answers 409)',
        tags,
        params: ExecutionIdParams,
        body: ExecutionUpdateIn,
        response: { 200: ExecutionOut, 404: ErrorOut, 409: ErrorOut, 413: ErrorOut, ...errors },
      },
    },
    async (request) => executions.update(request.params.execution_id, request.body, request.principal),
  );

  r.get(
    '/executions/:execution_id',
    {
      config: { scope: 'read', access: 'team' },
      schema: { summary: 'One execution', tags, params: ExecutionIdParams, response: { 200: ExecutionOut, 404: ErrorOut, ...errors } },
    },
    async (request) => executions.get(request.params.execution_id, request.principal),
  );

  r.get(
    '/executions',
    {
      config: { scope: 'read', access: 'team' },
      schema: {
        summary: 'Executions newest first, by hook, type, team, status, event type and start time; `next_cursor` continues',
        tags,
        querystring: ExecutionListQuery,
        response: { 200: ExecutionList, ...errors },
      },
    },
    async (request) => executions.list(request.query, request.principal),
  );
}
