import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, PayloadTooLargeError, ValidationError } from '../../core/app-error.ts';
import { jsonProblem } from '../../core/json-guard.ts';

const gunzipAsync = promisify(gunzip);

export const PROTOBUF = 'application/x-protobuf';
const JSON_TYPE = 'application/json';

/** A request body of the OTLP routes: parsed JSON, or the protobuf bytes for the signal's decoder. */
export type OtlpBody = { encoding: 'json'; value: unknown } | { encoding: 'protobuf'; bytes: Buffer };

export interface BodyLimits {
  /** Largest body, compressed or not (HOOKD_MAX_BODY_BYTES, as on every route). */
  maxBodyBytes: number;
  /** How deep a JSON body may nest (HOOKD_MAX_DATA_DEPTH plus the export's own levels). */
  maxDepth: number;
}

export const unsupportedMediaType = () => new AppError('unsupported_media_type', `content-type must be ${JSON_TYPE} or ${PROTOBUF}`, 415);

/**
 * Replaces, for the OTLP routes only (an encapsulated Fastify context), the JSON body
 * parser by one that also takes protobuf and `Content-Encoding: gzip`, which OTLP
 * exporters may send and every OTLP receiver must take. The body limit holds twice: on
 * the bytes received (Fastify), and on the bytes a gzip body inflates to.
 */
export function registerOtlpBodies(scope: FastifyInstance, limits: BodyLimits): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser([JSON_TYPE, PROTOBUF], { parseAs: 'buffer' }, async (request: FastifyRequest, raw: Buffer) => {
    const bytes = await inflated(request, raw, limits.maxBodyBytes);
    if ((request.headers['content-type'] ?? '').toLowerCase().startsWith(PROTOBUF)) return { encoding: 'protobuf', bytes };
    return { encoding: 'json', value: parsedJson(bytes, limits.maxDepth) };
  });
  scope.addContentTypeParser('*', (_request, _payload, done) => done(unsupportedMediaType(), undefined));
}

async function inflated(request: FastifyRequest, raw: Buffer, maxBytes: number): Promise<Buffer> {
  const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return raw;
  if (encoding !== 'gzip') throw new AppError('unsupported_media_type', 'content-encoding must be gzip or identity', 415);
  try {
    return await gunzipAsync(raw, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new PayloadTooLargeError(`the body inflates to more than ${maxBytes} bytes (HOOKD_MAX_BODY_BYTES)`);
    }
    throw new ValidationError([{ field: '(body)', message: `is not gzip (content-encoding: gzip): ${(error as Error).message}` }]);
  }
}

/** As the JSON parser of every other route: an empty body, bad JSON, too deep or NUL are 400s. */
function parsedJson(bytes: Buffer, maxDepth: number): unknown {
  if (bytes.length === 0) throw new AppError('empty_body', 'the body is empty; send JSON', 400);
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new AppError('invalid_json', `body is not valid JSON: ${(error as Error).message}`, 400);
  }
  const problem = jsonProblem(value, maxDepth);
  if (problem) throw new ValidationError([problem]);
  return value;
}
