import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorOut } from '../../core/error-out.ts';
import { NOTIFICATION_KINDS } from '../channels/channel-message.ts';
import type { RulePreviewService } from './rule-preview-service.ts';
import type { RuleTestService } from './rule-test-service.ts';

const RuleTestIn = Type.Object(
  {
    team_id: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: "Whose rules; default: the event's team, found as the passes find it" }),
    ),
    configuration: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { description: 'Try this configuration instead of the saved one' }),
    ),
    event: Type.Record(Type.String(), Type.Unknown(), {
      description: 'A canonical event (event_type, session_id, data, ...) or an agent hook payload (with hook_event_name)',
    }),
    session: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: "The session the rules see; default: the stored one of the event's session_id",
      }),
    ),
  },
  { additionalProperties: false },
);

const RuleTestOut = Type.Object({
  team_id: Type.Union([Type.String(), Type.Null()]),
  revision: Type.Union([Type.Integer(), Type.Null()], { description: '0: the default configuration; null: the one sent' }),
  enabled: Type.Boolean(),
  event: Type.Object({}, { additionalProperties: true, description: 'The event as the rules saw it: normalized, capture policy applied' }),
  fired: Type.Array(Type.String(), { description: 'rule_id of every rule that fires (none while the team is disabled)' }),
  rules: Type.Array(Type.Unknown(), {
    description: 'Every rule: fired or why not (disabled, hook_types), and each condition with the value found and whether it matched',
  }),
});

// Lengths and syntax are checked by validateTemplate, whose problems name the part and the tag.
const TemplatePart = Type.String({ description: 'A Mustache template of at most 2,000 characters' });

const RulePreviewIn = Type.Object(
  {
    template: Type.Union(
      [
        TemplatePart,
        Type.Object({ title: Type.Optional(TemplatePart), text: Type.Optional(TemplatePart) }, { additionalProperties: false }),
      ],
      {
        description: "A rule's template (Mustache): the text, or {title?, text?}; see docs/notifications.md",
      },
    ),
    event_id: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'A stored event to render against' })),
    event: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: 'Or an event: a canonical event (event_type, session_id, data, ...) or an agent hook payload (with hook_event_name)',
      }),
    ),
    session: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: "The session the template sees; default: the stored one of the event's session_id",
      }),
    ),
    kind: Type.Optional(
      Type.Union(
        NOTIFICATION_KINDS.map((k) => Type.Literal(k)),
        { description: "The notification kind (built-in title and fields); default: the event's" },
      ),
    ),
  },
  { additionalProperties: false },
);

const RulePreviewOut = Type.Object({
  title: Type.String(),
  text: Type.String(),
  message: Type.Object({}, { additionalProperties: true, description: 'The whole message a firing would send, before any service format' }),
  problems: Type.Array(Type.Object({ field: Type.String(), message: Type.String() }), {
    description: 'Variables that rendered empty for this event (a misspelt path shows here)',
  }),
});

/** Dry runs of team rules and their messages: read scope, nothing stored. */
export function ruleRoutes(app: FastifyInstance, rules: RuleTestService, preview: RulePreviewService): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.post(
    '/rules/test',
    {
      config: { scope: 'read', access: 'team' },
      schema: {
        summary: "Which of a team's rules an event fires, and why each condition matched or not (stores nothing)",
        tags: ['teams'],
        body: RuleTestIn,
        response: { 200: RuleTestOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 415: ErrorOut, 501: ErrorOut },
      },
    },
    async (request) => rules.test(request.body, request.principal),
  );
  r.post(
    '/rules/preview',
    {
      config: { scope: 'read', access: 'team' },
      schema: {
        summary: "A rule's message template rendered against a stored or given event: the message a firing would send (stores nothing)",
        tags: ['teams'],
        body: RulePreviewIn,
        response: { 200: RulePreviewOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 415: ErrorOut, 501: ErrorOut },
      },
    },
    async (request) => preview.preview(request.body, request.principal),
  );
}
