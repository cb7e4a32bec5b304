import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorOut } from '../../core/error-out.ts';
import type { ConfigService } from './config-service.ts';
import { ConfigKeyParams, ConfigList, ConfigOut, ConfigPutIn } from './config-schemas.ts';

/**
 * The installation's config store, for unbound tokens: read to list and read (secrets
 * redacted), admin to change. The service writes the `audit` lines (the CLI changes it too).
 */
export function configRoutes(app: FastifyInstance, config: ConfigService): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['config'];
  const errors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut };

  r.get(
    '/config',
    {
      config: { scope: 'read', access: 'server' },
      schema: { summary: 'Every config entry, secrets redacted', tags, response: { 200: ConfigList, ...errors } },
    },
    async () => config.list(),
  );

  r.get(
    '/config/:key',
    {
      config: { scope: 'read', access: 'server' },
      schema: {
        summary: 'One config entry, a secret redacted; 404 config_not_found when not set',
        tags,
        params: ConfigKeyParams,
        response: { 200: ConfigOut, 404: ErrorOut, ...errors },
      },
    },
    async (request) => config.get(request.params.key),
  );

  r.put(
    '/config/:key',
    {
      config: { scope: 'admin', access: 'server' },
      schema: {
        summary: 'Sets a config entry; with secret true the value is sealed at rest and only ever shown redacted',
        tags,
        params: ConfigKeyParams,
        body: ConfigPutIn,
        response: { 200: ConfigOut, ...errors },
      },
    },
    async (request) => config.set(request.params.key, request.body, request.principal),
  );

  r.delete(
    '/config/:key',
    {
      config: { scope: 'admin', access: 'server' },
      schema: {
        summary: 'Removes a config entry',
        tags,
        params: ConfigKeyParams,
        response: { 204: Type.Null({ description: 'Removed' }), 404: ErrorOut, ...errors },
      },
    },
    async (request, reply) => {
      await config.delete(request.params.key, request.principal);
      return reply.code(204).send(null);
    },
  );
}
