import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../core/app-error.ts';
import type { Limits } from '../../core/config.ts';
import type { Principal } from '../../core/principal.ts';
import { ErrorOut } from '../../core/error-out.ts';
import type { NormalizedEvent } from '../events/event.ts';
import type { IngestService } from '../events/ingest-service.ts';
import { noValidation } from '../events/ingest-routes.ts';
import { type BodyLimits, type OtlpBody, PROTOBUF, registerOtlpBodies, unsupportedMediaType } from './otlp-body.ts';
import { decodeExport, exportResponse, exportResponseJson, type Signal } from './otlp-protobuf.ts';
import type { TelemetryBatch, TelemetryContext } from './telemetry-batch.ts';
import { usageFromLogs } from './usage-from-logs.ts';
import { usageFromMetrics } from './usage-from-metrics.ts';

const ROUTES: Record<Signal, { url: string; map: (body: unknown, context: TelemetryContext) => TelemetryBatch; summary: string }> = {
  logs: { url: '/v1/logs', map: usageFromLogs, summary: "Store the usage in an agent's OpenTelemetry log records (OTLP/HTTP)" },
  metrics: { url: '/v1/metrics', map: usageFromMetrics, summary: "Store the usage in an agent's OpenTelemetry metrics (OTLP/HTTP)" },
};

// The levels of an export around an attribute's value (resourceLogs, [i], scopeLogs, [j],
// logRecords, [k], attributes, [l], value): the value itself may nest as deep as `data` may.
const EXPORT_LEVELS = 10;

const PartialSuccess = (rejected: string) =>
  Type.Object(
    {
      partialSuccess: Type.Optional(
        Type.Object({ [rejected]: Type.String({ description: 'int64, as OTLP/JSON writes it' }), errorMessage: Type.String() }),
      ),
    },
    { additionalProperties: false },
  );

/**
 * POST /v1/logs and /v1/metrics: an OTLP/HTTP receiver for Claude Code's and Codex's own
 * telemetry. Records become canonical events (usage-from-logs.ts, usage-from-metrics.ts)
 * stored through the one ingest path with the caller's principal, so scopes and team and
 * session bindings apply as on /hooks.
 */
export async function telemetryRoutes(app: FastifyInstance, ingest: IngestService, config: Limits): Promise<void> {
  const limits: BodyLimits = { maxBodyBytes: config.maxBodyBytes, maxDepth: config.maxDataDepth + EXPORT_LEVELS };
  // Its own context: the protobuf and gzip body parsers are for these routes only.
  await app.register(async (scope) => {
    registerOtlpBodies(scope, limits);
    const r = scope.withTypeProvider<TypeBoxTypeProvider>();
    for (const signal of ['logs', 'metrics'] as const) {
      const { url, map, summary } = ROUTES[signal];
      r.post(
        url,
        {
          config: { scope: 'ingest', access: 'session' },
          validatorCompiler: noValidation,
          schema: {
            summary,
            description:
              `An Export${signal === 'logs' ? 'Logs' : 'Metrics'}ServiceRequest, as application/json (OTLP/JSON) or ${PROTOBUF}, ` +
              "optionally with Content-Encoding: gzip. The reply has the request's content type: `{}`, or a `partialSuccess` " +
              'naming what was refused. What is stored and what is ignored: docs/telemetry.md.',
            tags: ['ingest'],
            body: Type.Unknown({ description: `Export${signal === 'logs' ? 'Logs' : 'Metrics'}ServiceRequest` }),
            response: {
              200: PartialSuccess(signal === 'logs' ? 'rejectedLogRecords' : 'rejectedDataPoints'),
              400: ErrorOut,
              404: ErrorOut,
              413: ErrorOut,
              415: ErrorOut,
              503: ErrorOut,
            },
          },
        },
        async (request, reply) => {
          const body = request.body as OtlpBody | undefined;
          if (!body) throw unsupportedMediaType();
          const exported = body.encoding === 'json' ? body.value : decodeExport(signal, body.bytes, limits.maxDepth);
          const { rejected, message } = await store(ingest, map(exported, contextOf(request)), request.principal);
          return send(reply, signal, body.encoding, rejected, message);
        },
      );
    }
  });
}

/** A team-bound token's team, else the one the exporter names (OTEL_EXPORTER_OTLP_HEADERS), as on /hooks. */
function contextOf(request: FastifyRequest): TelemetryContext {
  const header = request.headers['x-hookd-team'];
  const named = (Array.isArray(header) ? header[0] : header)?.slice(0, 255);
  return { teamId: request.principal.teamId ?? (named || null) };
}

/**
 * Validates each event on its own, so that one bad record is reported (partial success)
 * instead of refusing its export, then stores the valid ones at once. A refusal of the
 * store (a session-bound token writing another session) refuses the request, as on /hooks.
 */
async function store(ingest: IngestService, batch: TelemetryBatch, principal: Principal): Promise<{ rejected: number; message: string }> {
  let rejected = batch.rejected;
  const problems = [...batch.problems];
  const valid: NormalizedEvent[] = [];
  for (const { field, event, records } of batch.events) {
    try {
      valid.push(ingest.validateOne(event));
    } catch (error) {
      if (!(error instanceof AppError) || error.statusCode >= 500) throw error;
      rejected += records;
      problems.push(`${field}: ${error.message}`);
    }
  }
  if (valid.length > 0) await ingest.store(valid, principal);
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return { rejected, message: problems.length ? `${problems[0]}${more}` : '' };
}

function send(reply: FastifyReply, signal: Signal, encoding: OtlpBody['encoding'], rejected: number, message: string) {
  if (encoding === 'json') return reply.send(exportResponseJson(signal, rejected, message));
  return reply.type(PROTOBUF).send(exportResponse(signal, rejected, message));
}
