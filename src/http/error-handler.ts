import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isUnavailable, toStorageError } from '../db/storage-error.ts';
import { AppError, type FieldProblem } from '../core/app-error.ts';
import { RefusalLog } from './refusal-log.ts';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

const FASTIFY_CODES: Record<string, { status: number; code: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_content_length' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'empty_body' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid_json' },
};

/** The one place errors become HTTP replies: `{error: {code, message, details?}}`. */
export function toErrorReply(error: unknown): { status: number; headers: Record<string, string>; body: ErrorBody } {
  // A read that meets a storage outage is a 503 to retry, exactly like a write.
  if (!(error instanceof AppError) && isUnavailable(error)) error = toStorageError(error);
  if (error instanceof AppError) {
    const body: ErrorBody = { error: { code: error.code, message: error.message } };
    if (error.details !== undefined) body.error.details = error.details;
    return { status: error.statusCode, headers: error.headers, body };
  }
  const e = error as FastifyError & { validationContext?: string };
  if (e.validation) {
    const problems: FieldProblem[] = e.validation.map((v) => {
      const params = v.params as { missingProperty?: string; additionalProperty?: string } | undefined;
      // The key at fault is the field: a missing one, or one the route does not know (a typo).
      const key = params?.missingProperty ?? params?.additionalProperty;
      const path = [e.validationContext, v.instancePath.replace(/^\//, '').replaceAll('/', '.'), key].filter(Boolean).join('.');
      const message = params?.additionalProperty ? 'is not a known field' : (v.message ?? 'is invalid');
      return { field: path || '(request)', message };
    });
    const first = problems[0]!;
    return {
      status: 400,
      headers: {},
      body: { error: { code: 'validation_failed', message: `${first.field}: ${first.message}`, details: { problems } } },
    };
  }
  const known = e.code ? FASTIFY_CODES[e.code] : undefined;
  if (known) {
    const message = known.status === 415 ? 'content-type must be application/json' : e.message;
    return { status: known.status, headers: {}, body: { error: { code: known.code, message } } };
  }
  if (error instanceof SyntaxError || e.statusCode === 400) {
    return { status: 400, headers: {}, body: { error: { code: 'invalid_json', message: `body is not valid JSON: ${e.message}` } } };
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return { status: e.statusCode, headers: {}, body: { error: { code: 'bad_request', message: e.message } } };
  }
  // Never echo internals: driver messages can quote data, URLs or credentials.
  return { status: 500, headers: {}, body: { error: { code: 'internal_error', message: 'internal error' } } };
}

// Routes that answer without the storage: a 2xx there says nothing of its recovery.
const NOT_STORAGE = /^\/(health|metrics|openapi\.json)/;

export function registerErrorHandling(app: FastifyInstance): void {
  const refusals = new RefusalLog();
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const { status, headers, body } = toErrorReply(error);
    if (status >= 500 && status !== 503) request.log.error({ err: error }, 'request failed');
    else if (status === 503) refusals.refused(request.log, body.error.code, body.error.message);
    void reply.code(status).headers(headers).send(body);
  });
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode < 300 && !NOT_STORAGE.test(request.routeOptions.url ?? '/health')) refusals.served(request.log);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({ error: { code: 'route_not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` } });
  });
}
