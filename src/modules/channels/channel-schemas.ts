import { Type } from 'typebox';
import { CHANNEL_ID_PATTERN, CHANNEL_KINDS, MAX_CHANNEL_URL_LENGTH } from './channel-kind.ts';

const ChannelId = Type.String({ pattern: CHANNEL_ID_PATTERN, description: 'Channel id, chosen by its owner: 1-100 of A-Z a-z 0-9 _ . -' });
const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\u0000-\\u001f]+$', description: 'A name to show' });
const URL_TEXT =
  "The channel's URL, sealed at rest and shown redacted: the webhook URL; for email smtp(s)://[user@]host[:port]?from=...&to=...; for ntfy the topic URL";
const Url = Type.String({ maxLength: MAX_CHANNEL_URL_LENGTH, description: URL_TEXT });
const Secret = Type.String({
  maxLength: 200,
  description:
    "Sealed at rest, never shown: a webhook's signing secret (whsec_ and base64 of 24-64 bytes, Standard Webhooks), an email channel's SMTP password, an ntfy access token (tk_...)",
});

export const ChannelIdParams = Type.Object({ channel_id: ChannelId });

export const ChannelCreateIn = Type.Object(
  {
    channel_id: Type.String({ maxLength: 200, description: 'Channel id, chosen by its owner: 1-100 of A-Z a-z 0-9 _ . -' }),
    kind: Type.String({ maxLength: 100, description: `One of ${CHANNEL_KINDS.join(', ')}` }),
    url: Type.String({ maxLength: MAX_CHANNEL_URL_LENGTH + 1, description: URL_TEXT }),
    secret: Type.Optional(Secret),
    name: Type.Optional(Name),
    team_id: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: "The owning team; absent: the installation's (unbound tokens), the token's team (bound)",
      }),
    ),
  },
  { additionalProperties: false },
);

export const ChannelUpdateIn = Type.Object(
  { url: Type.Optional(Url), secret: Type.Optional(Secret), name: Type.Optional(Type.Union([Name, Type.Null()])) },
  { additionalProperties: false },
);

export const ChannelPauseIn = Type.Object(
  { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'Why; shown with the channel' })) },
  { additionalProperties: false },
);

export const ChannelOut = Type.Object({
  channel_id: Type.String(),
  team_id: Type.Union([Type.String(), Type.Null()], { description: "null: the installation's, usable by every team's rules" }),
  kind: Type.Union([Type.Literal('webhook'), Type.Literal('slack'), Type.Literal('discord'), Type.Literal('email'), Type.Literal('ntfy')]),
  name: Type.Union([Type.String(), Type.Null()]),
  url: Type.String({ description: 'Redacted: https://hooks.slack.com/services/T0***, smtps://smtp.example.com:465***' }),
  has_secret: Type.Boolean(),
  paused: Type.Boolean(),
  paused_reason: Type.Union([Type.String(), Type.Null()]),
  paused_at: Type.Union([Type.String(), Type.Null()]),
  failure_streak: Type.Integer({ description: 'Failed attempts in a row' }),
  created_at: Type.String(),
  updated_at: Type.String(),
});

export const ChannelList = Type.Object({ items: Type.Array(ChannelOut) });

export const ChannelTestOut = Type.Object({
  delivered: Type.Boolean(),
  outcome: Type.Union([Type.Literal('sent'), Type.Literal('retry'), Type.Literal('permanent')]),
  status_code: Type.Union([Type.Integer(), Type.Null()]),
  latency_ms: Type.Integer(),
  reason: Type.String(),
  response_excerpt: Type.String({ description: "The start of the receiver's answer" }),
});
