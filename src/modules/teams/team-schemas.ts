import { Type } from 'typebox';

const TeamId = Type.String({
  minLength: 1,
  maxLength: 100,
  pattern: '^[^\\u0000-\\u001f]+$',
  description: 'Team id, 1-100 characters, no control characters',
});

export const TeamIdParams = Type.Object({ team_id: TeamId });

export const TeamSaveIn = Type.Object(
  {
    configuration: Type.Record(Type.String(), Type.Unknown(), {
      description:
        'The whole configuration (see docs/data-model.md, "Team configurations and rules"); every problem is reported with its path',
    }),
    revision: Type.Optional(
      Type.Integer({
        minimum: 0,
        description: 'Save only if the stored revision is still this one (0: only if the team has none yet); 409 otherwise',
      }),
    ),
    enabled: Type.Optional(Type.Boolean({ description: "Whether the team's rules run; default: as stored, or true" })),
  },
  { additionalProperties: false },
);

export const TeamEnableIn = Type.Object(
  { revision: Type.Optional(Type.Integer({ minimum: 0, description: 'Only if the stored revision is still this one' })) },
  { additionalProperties: false },
);

export const TeamOut = Type.Object({
  team_id: Type.String(),
  enabled: Type.Boolean(),
  revision: Type.Integer({ description: '0 for the default configuration of a team that has none saved' }),
  is_default: Type.Boolean(),
  configuration: Type.Object(
    {},
    { additionalProperties: true, description: 'team_name, version, default_channels, notification_preferences, claims, rules' },
  ),
  created_at: Type.Union([Type.String(), Type.Null()]),
  updated_at: Type.Union([Type.String(), Type.Null()]),
  warnings: Type.Array(
    Type.Object({
      field: Type.String({ description: 'Its path, e.g. configuration.rules[0].channels[1]' }),
      message: Type.String(),
    }),
    {
      description:
        'What the save let through but may not work as meant: a channel the team cannot see (its notifications would wait, then die). Empty on reads',
    },
  ),
});

export const TeamList = Type.Object({
  items: Type.Array(
    Type.Object({
      team_id: Type.String(),
      team_name: Type.Union([Type.String(), Type.Null()]),
      enabled: Type.Boolean(),
      revision: Type.Integer(),
      rules: Type.Integer(),
      enabled_rules: Type.Integer(),
      updated_at: Type.String(),
    }),
  ),
});
