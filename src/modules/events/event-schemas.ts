import { Type } from 'typebox';

const Str = (max: number, description?: string) => Type.String({ minLength: 1, maxLength: max, description });
const OptStr = (max: number, description?: string) => Type.Optional(Type.Union([Str(max, description), Type.Null()]));

/** The wire event (documentation; the ingest normalizer is what enforces it, field by field). */
export const EventIn = Type.Object(
  {
    event_type: Str(100, 'What happened, e.g. session_started'),
    session_id: Str(255),
    event_id: OptStr(255, 'Idempotency key within the session; a UUIDv7 is made when absent'),
    timestamp: Type.Optional(
      Type.Union([Type.String({ description: 'ISO-8601; without an offset it is UTC' }), Type.Number({ description: 'epoch ms' })]),
    ),
    source: OptStr(100, 'claude-code, codex, gemini-cli, sdk, ... (default unknown)'),
    workflow_id: OptStr(255),
    phase_id: OptStr(255),
    milestone_id: OptStr(255),
    team_id: OptStr(255),
    task_id: OptStr(255),
    user: OptStr(255),
    host: OptStr(255),
    data: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'Raw payload, kept as sent' })),
  },
  { additionalProperties: true },
);

export const EventOut = Type.Object({
  event_id: Type.String(),
  session_id: Type.String(),
  event_type: Type.String(),
  timestamp: Type.String({ format: 'date-time' }),
  received_at: Type.String({ format: 'date-time' }),
  source: Type.String(),
  workflow_id: Type.Union([Type.String(), Type.Null()]),
  phase_id: Type.Union([Type.String(), Type.Null()]),
  milestone_id: Type.Union([Type.String(), Type.Null()]),
  team_id: Type.Union([Type.String(), Type.Null()]),
  task_id: Type.Union([Type.String(), Type.Null()]),
  user: Type.Union([Type.String(), Type.Null()]),
  host: Type.Union([Type.String(), Type.Null()]),
  data: Type.Object({}, { additionalProperties: true }),
});

export const Accepted = Type.Object({
  accepted: Type.Integer({ description: 'Events of the request now stored' }),
  duplicates: Type.Integer({ description: 'Of those, how many were stored already (or repeated in the request)' }),
  message: Type.String(),
});

export const EventListQuery = Type.Object({
  session_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  event_type: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  source: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  workflow_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  from: Type.Optional(Type.String({ description: 'ISO-8601 or epoch ms, inclusive' })),
  to: Type.Optional(Type.String({ description: 'ISO-8601 or epoch ms, exclusive' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});

export const EventList = Type.Object({
  items: Type.Array(EventOut),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});

const CURSOR_DESCRIPTION = 'Resume cursor: the `id:` of the last message received (the Last-Event-ID header wins)';

export const EventStreamQuery = Type.Object({
  session_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  event_type: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  source: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  workflow_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  last_event_id: Type.Optional(Type.String({ maxLength: 40, description: CURSOR_DESCRIPTION })),
  after: Type.Optional(Type.String({ maxLength: 40, description: `${CURSOR_DESCRIPTION}; same as last_event_id` })),
  backlog: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 1000,
      default: 0,
      description: 'Without a resume cursor: first send this many recent matching events (newest by event time), oldest first',
    }),
  ),
  access_token: Type.Optional(
    Type.String({
      description:
        'API token, for clients that cannot send an Authorization header (EventSource); accepted on this route only and never logged',
    }),
  ),
});

/** The 200 reply of GET /events/stream, for the OpenAPI document (the body is never JSON). */
export const EventStreamOut = Type.String({
  description:
    'text/event-stream: per event `id: <cursor>`, `event: message`, `data: <the event as GET /events returns it>`; `: ping` comments every 15 s',
  'x-media-type': 'text/event-stream',
});
