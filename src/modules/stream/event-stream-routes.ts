import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ValidationError } from '../../core/app-error.ts';
import type { Principal } from '../../core/principal.ts';
import type { EventQueryService } from '../events/event-query-service.ts';
import type { EventStreamHub } from './event-stream-hub.ts';
import { filterFromQuery, type EventQuery } from '../events/event-query-service.ts';
import { EventStreamOut, EventStreamQuery } from '../events/event-schemas.ts';
import { ErrorOut } from '../../core/error-out.ts';
import type { StreamFilter } from './event-tail.ts';
import { SseConnection } from './sse-connection.ts';

/** The reconnection delay EventSource clients are told to use. */
export const RETRY_MS = 2000;

const DESCRIPTION = `Server-Sent Events: every event stored from now on that matches the filters, as GET /events returns it.
Each message: \`id:\` a resume cursor, \`event: message\`, \`data:\` the event JSON (with its event_id).
Reconnect with the Last-Event-ID header (EventSource does this by itself) or ?last_event_id= to resume without a gap;
an event may then come twice, which its event_id tells. Without a cursor the stream starts now (?backlog=N sends the N most recent first).
Heartbeat comments \`: ping\` keep proxies from closing an idle stream; a client that falls too far behind is dropped and resumes.
The token may come as ?access_token= on this route only, since EventSource cannot send headers.`;

export interface EventStreamRouteDeps {
  stream: EventStreamHub;
  /** For ?backlog=N. */
  events: EventQueryService;
  /** What a slow client may have waiting before it is dropped (HOOKD_STREAM_BUFFER_BYTES). */
  bufferBytes: number;
}

export function eventStreamRoutes(app: FastifyInstance, { stream, events, bufferBytes }: EventStreamRouteDeps): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/events/stream',
    {
      config: { scope: 'read', access: 'session', tokenInQuery: true },
      // A HEAD would open a stream with no body to put it in.
      exposeHeadRoute: false,
      schema: {
        summary: 'Follow new events live (Server-Sent Events)',
        description: DESCRIPTION,
        tags: ['events'],
        querystring: EventStreamQuery,
        response: { 200: EventStreamOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 501: ErrorOut, 503: ErrorOut },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const query: EventQuery = {};
      for (const key of ['session_id', 'event_type', 'source', 'workflow_id'] as const) if (q[key] !== undefined) query[key] = q[key];
      const filter = streamFilterOf(query, request.principal);
      const after = resumeCursor(request.headers['last-event-id'], q.last_event_id, q.after);
      const backlog = after === null ? (q.backlog ?? 0) : 0;

      // From here the reply is ours: SSE is written straight to the socket.
      reply.hijack();
      const connection = new SseConnection(reply.raw, bufferBytes);
      connection.open(RETRY_MS);
      stream
        .open({
          filter,
          after,
          sink: connection,
          ...(backlog > 0
            ? { backlog: async () => (await events.list({ ...query, limit: backlog }, request.principal)).items.reverse() }
            : {}),
        })
        .catch((error: unknown) => request.log.warn({ code: (error as { code?: string }).code }, 'event stream failed to start'));
    },
  );
}

/** The query's filters with the token's restrictions, as GET /events applies them. */
export function streamFilterOf(query: EventQuery, principal: Principal): StreamFilter {
  const parsed = filterFromQuery(query);
  const filter: StreamFilter = {};
  if (parsed.sessionId !== undefined) filter.sessionId = parsed.sessionId;
  if (parsed.eventType !== undefined) filter.eventType = parsed.eventType;
  if (parsed.source !== undefined) filter.source = parsed.source;
  if (parsed.workflowId !== undefined) filter.workflowId = parsed.workflowId;
  if (principal.teamId) filter.teamId = principal.teamId;
  if (principal.sessionId) {
    if (filter.sessionId !== undefined && filter.sessionId !== principal.sessionId) filter.none = true;
    filter.sessionId = principal.sessionId;
  }
  return filter;
}

const CURSOR = /^\d{1,16}$/;

/** The resume cursor: the Last-Event-ID header (what EventSource sends) wins over the query. */
export function resumeCursor(header: string | string[] | undefined, lastEventId?: string, after?: string): number | null {
  const candidates: [string, string | undefined][] = [
    ['Last-Event-ID', Array.isArray(header) ? header[0] : header],
    ['last_event_id', lastEventId],
    ['after', after],
  ];
  for (const [field, raw] of candidates) {
    const value = raw?.trim();
    if (!value) continue;
    if (!CURSOR.test(value) || Number(value) > Number.MAX_SAFE_INTEGER) {
      throw new ValidationError([{ field, message: 'is not a cursor hookd issued (the id: of a stream message)' }]);
    }
    return Number(value);
  }
  return null;
}
