import type { FastifyInstance, RouteOptions } from 'fastify';
import { version } from '../core/version.ts';

declare module 'fastify' {
  interface FastifySchema {
    summary?: string;
    description?: string;
    tags?: string[];
    /** Leave the route out of the document. */
    hide?: boolean;
  }
}

interface Operation {
  method: string;
  url: string;
  schema: RouteOptions['schema'];
  scope: string | undefined;
}

/**
 * Builds /openapi.json from the route schemas themselves, so the document cannot drift
 * from what the server validates and returns.
 */
export function registerOpenApi(app: FastifyInstance): void {
  const operations: Operation[] = [];
  app.addHook('onRoute', (route) => {
    const schema = route.schema;
    if (!schema || schema.hide) return;
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      operations.push({
        method: method.toLowerCase(),
        url: route.url,
        schema,
        scope: (route.config as { scope?: string } | undefined)?.scope,
      });
    }
  });
  let document: unknown = null;
  app.get('/openapi.json', { config: { scope: 'read', access: 'server' }, schema: { hide: true } }, async () => {
    document ??= build(operations);
    return document;
  });
}

function build(operations: Operation[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const path = op.url.replace(/:([A-Za-z_]+)/g, '{$1}');
    const s = (op.schema ?? {}) as Record<string, unknown>;
    const parameters: unknown[] = [];
    for (const [where, key] of [
      ['path', 'params'],
      ['query', 'querystring'],
    ] as const) {
      const props = (s[key] as { properties?: Record<string, unknown>; required?: string[] } | undefined) ?? {};
      for (const [name, schema] of Object.entries(props.properties ?? {})) {
        parameters.push({ name, in: where, required: where === 'path' || (props.required ?? []).includes(name), schema });
      }
    }
    const responses: Record<string, unknown> = {};
    for (const [status, schema] of Object.entries((s.response as Record<string, unknown>) ?? {})) {
      // A reply that is not JSON (the SSE stream) names its media type in `x-media-type`.
      const media = (schema as { 'x-media-type'?: string })['x-media-type'] ?? 'application/json';
      responses[status] = {
        description: (schema as { description?: string }).description ?? `HTTP ${status}`,
        content: { [media]: { schema } },
      };
    }
    const operation: Record<string, unknown> = {
      summary: s.summary,
      description: s.description,
      tags: s.tags,
      parameters,
      responses: Object.keys(responses).length ? responses : { default: { description: 'reply' } },
    };
    if (s.body) operation.requestBody = { required: true, content: { 'application/json': { schema: s.body } } };
    if (op.scope) operation.security = [{ bearer: [] }];
    (paths[path] ??= {})[op.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'hookd', version: version(), description: 'Store and control room for the hooks of AI coding agents' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
