import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ValidationError } from '../../core/app-error.ts';
import type { IngestService } from '../events/ingest-service.ts';
import { noValidation } from '../events/ingest-routes.ts';
import { ErrorOut } from '../../core/error-out.ts';
import { canonicalFromHook, type HookContext, type HookEnvelope } from './hook-adapter.ts';

const SOURCE = /^[a-z0-9][a-z0-9._-]{0,99}$/;
// Tool output can be huge (a whole file read); the capture policy cuts it instead of the
// request failing, so hook routes take bodies up to this size.
export const HOOK_BODY_LIMIT = 64 * 1024 * 1024;

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text ? text.slice(0, 255) : undefined;
};

/** What hookd emit read on the user's machine, sent along as headers. */
function contextOf(request: FastifyRequest): HookContext | undefined {
  const context: HookContext = {};
  const project = header(request, 'x-hookd-project');
  const branch = header(request, 'x-hookd-git-branch');
  const terminal = header(request, 'x-hookd-terminal');
  const toolUseId = header(request, 'x-hookd-tool-use-id');
  if (project) context.project = project;
  if (branch) context.git_branch = branch;
  if (terminal) context.terminal = terminal;
  if (toolUseId) context.tool_use_id = toolUseId;
  return Object.keys(context).length ? context : undefined;
}

function envelopeOf(request: FastifyRequest, source: string): HookEnvelope {
  const timestamp = header(request, 'x-hookd-timestamp');
  return {
    source,
    eventId: header(request, 'x-hookd-event-id'),
    // Epoch milliseconds arrive as digits; anything else is left for the normalizer to judge.
    timestamp: timestamp !== undefined && /^\d{1,15}$/.test(timestamp) ? Number(timestamp) : timestamp,
    // A team-bound token decides the team; otherwise the producer may name one (HOOKD_TEAM).
    teamId: request.principal.teamId ?? header(request, 'x-hookd-team') ?? null,
    user: header(request, 'x-hookd-user'),
    host: header(request, 'x-hookd-host'),
    context: contextOf(request),
  };
}

export function hookRoutes(app: FastifyInstance, ingest: IngestService): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.post(
    '/hooks/:source',
    {
      config: { scope: 'ingest', access: 'session', normalizedBody: true },
      bodyLimit: HOOK_BODY_LIMIT,
      validatorCompiler: noValidation,
      schema: {
        summary: "Store an agent's native hook payload",
        description:
          'The body is exactly what the agent gives a hook (Claude Code: the command hook stdin or HTTP hook body). ' +
          'It is mapped to a canonical event and stored; the reply is valid hook output (`{}`: carry on). ' +
          'Optional headers from `hookd emit`: X-Hookd-Event-Id, X-Hookd-Timestamp, X-Hookd-Project, ' +
          'X-Hookd-Git-Branch, X-Hookd-Terminal, X-Hookd-Tool-Use-Id, X-Hookd-User, X-Hookd-Host, X-Hookd-Team.',
        tags: ['ingest'],
        params: Type.Object({ source: Type.String({ description: 'claude-code, codex, gemini-cli, ...' }) }),
        body: Type.Unknown(),
        response: { 200: Type.Object({}, { additionalProperties: false }), 400: ErrorOut, 413: ErrorOut, 415: ErrorOut, 503: ErrorOut },
      },
    },
    async (request, reply) => {
      const { source } = request.params as { source: string };
      if (!SOURCE.test(source)) {
        throw new ValidationError([
          { field: 'source', message: 'must be 1-100 characters of a-z, 0-9, ".", "_" or "-" (e.g. claude-code)' },
        ]);
      }
      const body = request.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new ValidationError([{ field: '(body)', message: 'a hook payload must be a JSON object' }]);
      }
      await ingest.store([ingest.validateOne(canonicalFromHook(body, envelopeOf(request, source)))], request.principal);
      return reply.code(200).send({});
    },
  );
}
