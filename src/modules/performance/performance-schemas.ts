import { Type } from 'typebox';
import { DEFAULT_RETENTION_DAYS, MAX_RETENTION_DAYS, MAX_STATISTICS_HOURS } from './performance.ts';

const Id = (description: string, maxLength = 255) => Type.String({ minLength: 1, maxLength, description });
const Time = (description: string) => Type.String({ minLength: 1, maxLength: 64, description });
const Ms = (description: string) => Type.Union([Type.Number({ description }), Type.Null()]);
const Count = (description: string) => Type.Integer({ minimum: 0, description });
const Rate = Type.Union([
  Type.Number({ minimum: 0, maximum: 1, description: 'successful / total, a fraction 0..1; null when nothing counted' }),
  Type.Null(),
]);

export const MetricsRowOut = Type.Object({
  hook_id: Type.String(),
  hook_type: Type.String(),
  team_id: Type.String(),
  time_bucket: Type.String({ format: 'date-time', description: 'the UTC hour of started_at' }),
  total_executions: Count('executions with an outcome (RUNNING left out); CANCELLED counts here only'),
  successful_executions: Count('SUCCESS'),
  failed_executions: Count('FAILED and TIMEOUT'),
  avg_execution_time_ms: Ms('mean execution_time_ms of SUCCESS, FAILED and TIMEOUT executions with a time, rounded to 3 decimals'),
  p95_execution_time_ms: Ms('95th percentile (nearest rank, exact) of the same times'),
  success_rate: Type.Number({ minimum: 0, maximum: 1, description: 'successful_executions / total_executions' }),
  throughput_per_hour: Type.Number({ description: 'executions in the hour: total_executions' }),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time', description: 'when a figure of the row last changed' }),
});

export const MetricsQuery = Type.Object({
  hook_id: Type.Optional(Id('only this hook')),
  hook_type: Type.Optional(Id('only this kind of hook', 100)),
  team_id: Type.Optional(Id('only this team', 100)),
  from: Type.Optional(Time('hours at or after: ISO-8601 or epoch ms')),
  to: Type.Optional(Time('hours before: ISO-8601 or epoch ms')),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 2000 })),
});

export const MetricsList = Type.Object({
  items: Type.Array(MetricsRowOut),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});

const figures = {
  total_executions: Count('executions with an outcome (RUNNING left out); CANCELLED counts here only'),
  successful_executions: Count('SUCCESS'),
  failed_executions: Count('FAILED and TIMEOUT'),
  cancelled_executions: Count('CANCELLED'),
  running_executions: Count('RUNNING: started, no outcome yet; in no other figure'),
  success_rate: Rate,
  avg_execution_time_ms: Ms('mean execution_time_ms of SUCCESS, FAILED and TIMEOUT executions with a time, rounded to 3 decimals'),
  p95_execution_time_ms: Ms('95th percentile (nearest rank) of the same times, exact over the executions'),
};

export const SummaryQuery = Type.Object({
  hook_id: Id('the hook'),
  from: Type.Optional(Time('executions started at or after: ISO-8601 or epoch ms; default 24 hours before `to`')),
  to: Type.Optional(Time('executions started before: ISO-8601 or epoch ms; default now')),
});

export const SummaryOut = Type.Object({
  hook_id: Type.String(),
  team_id: Type.Union([Type.String(), Type.Null()], {
    description: "the team the figures are limited to (a team-bound token's), else null",
  }),
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  ...figures,
  throughput_per_hour: Type.Number({ description: 'total_executions per hour of the range' }),
});

export const StatisticsQuery = Type.Object({
  team_id: Type.Optional(Id('only this team; a team-bound token sees only its own', 100)),
  hours: Type.Optional(
    Type.Integer({ minimum: 1, maximum: MAX_STATISTICS_HOURS, default: 24, description: 'executions started in the last N hours' }),
  ),
});

const Status = (status: string) => Count(status);
export const StatisticsOut = Type.Object({
  team_id: Type.Union([Type.String(), Type.Null()]),
  hours: Type.Integer(),
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  ...figures,
  by_status: Type.Object({
    RUNNING: Status('RUNNING'),
    SUCCESS: Status('SUCCESS'),
    FAILED: Status('FAILED'),
    TIMEOUT: Status('TIMEOUT'),
    CANCELLED: Status('CANCELLED'),
  }),
});

const FROM = 'the first hour recomputed is the one holding this time: ISO-8601 or epoch ms; default 24 hours before `to`';
const TO = 'recomputed up to this time, its hour included: ISO-8601 or epoch ms; default now';
const TimeOrMs = (description: string) =>
  Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Integer({ minimum: 0 })], { description });
export const AggregateIn = Type.Object(
  { from: Type.Optional(TimeOrMs(FROM)), to: Type.Optional(TimeOrMs(TO)) },
  { additionalProperties: false },
);
export const AggregateQuery = Type.Object({ from: Type.Optional(Time(FROM)), to: Type.Optional(Time(TO)) });

export const AggregateOut = Type.Object({
  from: Type.String({ format: 'date-time', description: 'the whole hours recomputed: [from, to)' }),
  to: Type.String({ format: 'date-time' }),
  buckets_written: Count('hourly rows the range holds after the recomputation'),
  buckets_removed: Count('rows removed: no counted execution of their hour is left'),
});

export const CleanupQuery = Type.Object({
  days: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: MAX_RETENTION_DAYS,
      default: DEFAULT_RETENTION_DAYS,
      description: 'delete executions started more than this many days ago',
    }),
  ),
});

export const CleanupOut = Type.Object({
  days: Type.Integer(),
  cutoff: Type.String({ format: 'date-time', description: 'executions started before this were deleted' }),
  deleted_count: Count('executions deleted'),
  buckets_removed: Count('hourly rows that went with them'),
});
