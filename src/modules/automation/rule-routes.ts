import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorOut } from '../../core/error-out.ts';
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

/** Dry runs of team rules: read scope, nothing stored. */
export function ruleRoutes(app: FastifyInstance, rules: RuleTestService): void {
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
}
