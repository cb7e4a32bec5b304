import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorOut } from '../../core/error-out.ts';
import type { TokenRecord } from './token.ts';
import type { TokenService } from './token-service.ts';

const TokenOut = Type.Object({
  id: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  scopes: Type.Array(Type.String()),
  team_id: Type.Union([Type.String(), Type.Null()]),
  session_id: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String({ format: 'date-time' }),
  revoked_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export function tokenView(t: TokenRecord) {
  return {
    id: t.id,
    name: t.name,
    scopes: t.scopes,
    team_id: t.teamId,
    session_id: t.sessionId,
    created_at: t.createdAt.toISOString(),
    revoked_at: t.revokedAt ? t.revokedAt.toISOString() : null,
  };
}

export function tokenRoutes(app: FastifyInstance, tokens: TokenService): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.post(
    '/tokens',
    {
      // A session-bound admin may create tokens for its own session (token-service.ts).
      config: { scope: 'admin', access: 'session' },
      schema: {
        summary: 'Create an API token (the token is shown once)',
        tags: ['tokens'],
        body: Type.Object({
          scopes: Type.Array(Type.Union([Type.Literal('ingest'), Type.Literal('read'), Type.Literal('admin')]), { minItems: 1 }),
          name: Type.Optional(Type.String({ maxLength: 200 })),
          team_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
          session_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
        }),
        response: { 201: Type.Intersect([TokenOut, Type.Object({ token: Type.String() })]), 400: ErrorOut },
      },
    },
    async (request, reply) => {
      const { token, record } = await tokens.create(
        {
          scopes: request.body.scopes,
          name: request.body.name ?? null,
          teamId: request.body.team_id ?? null,
          sessionId: request.body.session_id ?? null,
        },
        request.principal,
      );
      return reply.code(201).send({ ...tokenView(record), token });
    },
  );
  r.get(
    '/tokens',
    {
      config: { scope: 'admin', access: 'team' },
      schema: { summary: 'List API tokens', tags: ['tokens'], response: { 200: Type.Object({ items: Type.Array(TokenOut) }) } },
    },
    async (request) => ({ items: (await tokens.list(request.principal)).map(tokenView) }),
  );
  r.delete(
    '/tokens/:id',
    {
      config: { scope: 'admin', access: 'team' },
      schema: {
        summary: 'Revoke an API token',
        tags: ['tokens'],
        params: Type.Object({ id: Type.String() }),
        response: { 204: Type.Null(), 404: ErrorOut },
      },
    },
    async (request, reply) => {
      await tokens.revoke(request.params.id, request.principal);
      return reply.code(204).send(null);
    },
  );
}
