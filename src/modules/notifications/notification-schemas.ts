import { Type } from 'typebox';
import { NOTIFICATION_STATUSES } from './notification.ts';

const Status = Type.String({ maxLength: 20, description: NOTIFICATION_STATUSES.join(', ') });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const Filters = {
  status: Type.Optional(Status),
  session_id: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  team_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  channel: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'channel id' })),
};

export const NotificationListQuery = Type.Object(
  {
    ...Filters,
    digest_id: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: "a digest's id: its members" })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 600 })),
  },
  { additionalProperties: false },
);

export const NotificationReplayIn = Type.Object(Filters, { additionalProperties: false });

export const NotificationIdParams = Type.Object({ notification_id: Type.String({ minLength: 1, maxLength: 100 }) });

export const NotificationOut = Type.Object({
  notification_id: Type.String({ description: 'Also the webhook-id of every attempt' }),
  status: Type.String({ description: NOTIFICATION_STATUSES.join(', ') }),
  kind: Type.String({ description: 'permission, input, stop, session_end, failure or rule' }),
  priority: Type.String(),
  channel: Type.String(),
  team_id: Nullable(Type.String()),
  session_id: Nullable(Type.String()),
  event_id: Nullable(Type.String()),
  event_type: Nullable(Type.String()),
  execution_id: Nullable(Type.String()),
  retry_count: Type.Integer({ description: 'Failed attempts so far' }),
  error: Nullable(Type.String()),
  status_code: Type.Union([Type.Integer(), Type.Null()]),
  title: Type.String(),
  created_at: Type.String(),
  next_attempt_at: Nullable(Type.String({ description: 'When it goes (pending, failed) or is let go (held)' })),
  held_reason: Nullable(Type.String({ description: 'digest or quiet_hours: why it is (or was) held' })),
  opens_window: Type.Boolean({ description: "It went at once and opened its channel and kind's digest window" }),
  digest_id: Nullable(Type.String({ description: 'The digest it went in' })),
  digest_size: Type.Integer({ description: 'A digest: how many notifications it carries; 0 otherwise' }),
  sent_at: Nullable(Type.String()),
  expires_at: Type.String({ description: 'Undelivered past this, it is dead' }),
});

export const NotificationList = Type.Object({ items: Type.Array(NotificationOut), next_cursor: Nullable(Type.String()) });

export const NotificationDetail = Type.Intersect([
  NotificationOut,
  Type.Object({
    message: Type.Object({}, { additionalProperties: true, description: 'What was sent, before any service format' }),
    attempts: Type.Array(
      Type.Object({
        attempt: Type.Integer(),
        started_at: Type.String(),
        latency_ms: Type.Integer(),
        status_code: Type.Union([Type.Integer(), Type.Null()]),
        outcome: Type.String({ description: 'sent, retry or permanent' }),
        error: Nullable(Type.String()),
        response_excerpt: Nullable(Type.String({ description: "The start of the receiver's answer" })),
      }),
    ),
  }),
]);

export const NotificationReplayOut = Type.Object({ requeued: Type.Integer() });
