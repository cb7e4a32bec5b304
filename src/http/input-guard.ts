import type { FastifyInstance } from 'fastify';
import { AppError, ValidationError } from '../core/app-error.ts';
import { checkIdText, jsonProblem } from '../core/json-guard.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The body goes through the ingest normalizer, which checks depth and NUL itself (the
     * exact rule for `data`, on every path: HTTP, emit, import), so the parser's own walk
     * would only repeat it on the hot path.
     */
    normalizedBody?: boolean;
  }
}

/**
 * Bad input stops here, before any handler, store or recursive walk sees it, with the same
 * 4xx on every storage:
 * - JSON bodies are parsed by hookd: past `maxDataDepth` (plus the two levels of a batch
 *   and its events around `data`) or with NUL in any string or key, 400 naming the field
 *   (ingest routes leave that to the normalizer: `normalizedBody`);
 * - NUL or a lone surrogate in a path or query parameter is 400 naming the parameter
 *   (PostgreSQL refuses NUL in text, and a lone surrogate cannot be sent as UTF-8, so two
 *   ids differing only there would meet as one);
 * - a body of any other type is 415 (Fastify's own text/plain parser is removed).
 */
export function registerInputGuard(app: FastifyInstance, maxDataDepth: number): void {
  const maxDepth = maxDataDepth + 2;
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, text, done) => {
    if (text === '') return done(new AppError('empty_body', 'the body is empty; send JSON', 400), undefined);
    let value: unknown;
    try {
      value = JSON.parse(text as string);
    } catch (error) {
      return done(new AppError('invalid_json', `body is not valid JSON: ${(error as Error).message}`, 400), undefined);
    }
    const problem = request.routeOptions.config?.normalizedBody ? null : jsonProblem(value, maxDepth);
    if (problem) return done(new ValidationError([problem]), undefined);
    done(null, value);
  });
  app.addHook('preValidation', async (request) => {
    // Named as the route schemas' own problems are: params.id, querystring.session_id.
    checkParameters('params', request.params);
    checkParameters('querystring', request.query);
  });
}

function checkParameters(part: string, values: unknown): void {
  if (typeof values !== 'object' || values === null) return;
  for (const [name, value] of Object.entries(values)) {
    for (const text of Array.isArray(value) ? value : [value]) {
      checkIdText(`${part}.${name}`, text);
    }
  }
}
