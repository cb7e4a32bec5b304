import { Type } from 'typebox';

export const CONFIG_KEY_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$';
export const MAX_CONFIG_VALUE_LENGTH = 65_536;

export const ConfigKeyParams = Type.Object({
  key: Type.String({
    pattern: CONFIG_KEY_PATTERN,
    description: 'Config key: 1-128 of A-Z a-z 0-9 _ . : -, starting with a letter or digit',
  }),
});

export const ConfigPutIn = Type.Object(
  {
    value: Type.String({ maxLength: MAX_CONFIG_VALUE_LENGTH, description: 'The value, as text' }),
    secret: Type.Optional(
      Type.Boolean({ description: 'Seal the value at rest (AES-256-GCM under the secret key); it is then only ever shown redacted' }),
    ),
  },
  { additionalProperties: false },
);

export const ConfigOut = Type.Object({
  key: Type.String(),
  value: Type.String({ description: 'The value; a secret redacted (https://hooks.slack.com/services/T0***)' }),
  secret: Type.Boolean(),
  updated_at: Type.String(),
  updated_by: Type.String({ description: 'Token id, `local` or `cli`' }),
});

export const ConfigList = Type.Object({ items: Type.Array(ConfigOut) });
