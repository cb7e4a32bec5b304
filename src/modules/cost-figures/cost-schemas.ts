import { Type } from 'typebox';
import { AnalyticsQuerySchema } from '../analytics/analytics-schemas.ts';

// COST_GROUPINGS (cost-figures.ts), spelled out so the route's types keep each literal.
const GROUPINGS = [
  Type.Literal('day'),
  Type.Literal('model'),
  Type.Literal('project'),
  Type.Literal('team'),
  Type.Literal('source'),
  Type.Literal('session'),
] as const;

export const CostQuerySchema = Type.Object({
  ...AnalyticsQuerySchema.properties,
  model: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  group_by: Type.Optional(
    Type.Union([...GROUPINGS], {
      default: 'day',
      description: 'day: the UTC date of each request, oldest first; the others: by cost, biggest first',
    }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100, description: 'groups at most; every day is listed' })),
});

const Int = Type.Integer();
const figures = {
  input_tokens: Int,
  output_tokens: Int,
  cache_read_tokens: Int,
  cache_creation_tokens: Int,
  cost_usd: Type.Number({ description: 'US dollars, to millionths: reported by the agent, else priced; unpriced tokens add nothing' }),
  unpriced_tokens: Type.Integer({ description: 'tokens of models without a price: their cost is not in cost_usd' }),
  requests: Type.Integer({ description: 'counted token_usage rows: model requests (or metric windows)' }),
  sessions: Int,
};

export const CostOut = Type.Object({
  group_by: Type.Union([...GROUPINGS]),
  items: Type.Array(
    Type.Object({
      key: Type.Union([Type.String(), Type.Null()], { description: 'the UTC date, model, project, team, source or session id' }),
      ...figures,
    }),
  ),
  truncated: Type.Boolean({ description: 'more groups than `limit`: totals still cover them all' }),
  totals: Type.Object(figures),
  prices_as_of: Type.String({ format: 'date', description: 'the date of the price table hookd prices unreported costs from' }),
});
