import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorOut } from '../../core/error-out.ts';
import type { SessionService } from './session-service.ts';
import { SessionDetailOut, SessionList, SessionListQuery, ToolUseOut, ToolUseQuery } from './session-schemas.ts';

export function sessionRoutes(app: FastifyInstance, sessions: SessionService): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/sessions',
    {
      config: { scope: 'read', access: 'session' },
      schema: {
        summary: 'List sessions, most recently active first',
        tags: ['sessions'],
        querystring: SessionListQuery,
        response: { 200: SessionList, 400: ErrorOut, 501: ErrorOut },
      },
    },
    async (request) => sessions.list(request.query, request.principal),
  );

  r.get(
    '/sessions/:id',
    {
      config: { scope: 'read', access: 'session' },
      schema: {
        summary: 'One session with its tool uses and newest events',
        tags: ['sessions'],
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 255 }) }),
        response: { 200: SessionDetailOut, 404: ErrorOut, 501: ErrorOut },
      },
    },
    async (request) => sessions.get(request.params.id, request.principal),
  );

  r.get(
    '/tool-uses',
    {
      config: { scope: 'read', access: 'session' },
      schema: {
        summary: 'Tool calls, oldest first, by session and tool',
        tags: ['sessions'],
        querystring: ToolUseQuery,
        response: { 200: Type.Object({ items: Type.Array(ToolUseOut) }), 400: ErrorOut, 501: ErrorOut },
      },
    },
    async (request) => {
      const q = request.query;
      const items = await sessions.toolUses({ sessionId: q.session_id, toolName: q.tool_name, limit: q.limit ?? 100 }, request.principal);
      return { items };
    },
  );
}
