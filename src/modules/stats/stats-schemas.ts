import { Type } from 'typebox';

export const EventActivityQuery = Type.Object({
  minutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440, default: 60, description: 'the window: this many minutes up to now' })),
  source: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  team: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: "a team-bound token's own team always applies" })),
});

export const EventActivityOut = Type.Object({
  from: Type.String({ format: 'date-time', description: 'start of the first minute' }),
  to: Type.String({ format: 'date-time', description: 'end of the last minute (the one under way), exclusive' }),
  step_seconds: Type.Integer({ description: 'always 60' }),
  total: Type.Integer(),
  buckets: Type.Array(
    Type.Object({
      at: Type.String({ format: 'date-time', description: 'start of the minute' }),
      events: Type.Integer({ description: 'events whose timestamp falls in the minute' }),
    }),
    { description: 'every minute of the window, oldest first, zeros included' },
  ),
});

export const SessionActivityQuery = Type.Object({
  since: Type.Optional(
    Type.String({ pattern: '^\\d{1,6}[mhdw]$', default: '24h', description: 'how far back ended sessions count: 90m, 24h, 7d, 4w' }),
  ),
});

export const SessionActivityOut = Type.Object({
  active: Type.Integer({ description: 'open sessions not waiting for the user, now' }),
  idle: Type.Integer({ description: 'open sessions waiting for the user, now' }),
  ended: Type.Integer({ description: 'sessions ended at or after `since`' }),
  since: Type.String({ format: 'date-time' }),
});
