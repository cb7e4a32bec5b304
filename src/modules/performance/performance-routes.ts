import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ValidationError } from '../../core/app-error.ts';
import { ErrorOut } from '../../core/error-out.ts';
import type { PerformanceService } from './performance-service.ts';
import {
  AggregateIn,
  AggregateOut,
  AggregateQuery,
  CleanupOut,
  CleanupQuery,
  MetricsList,
  MetricsQuery,
  StatisticsOut,
  StatisticsQuery,
  SummaryOut,
  SummaryQuery,
} from './performance-schemas.ts';

/**
 * Hook performance: figures with the read scope, recomputation and retention with admin.
 * `/executions/statistics` and `/executions/cleanup` are static paths, which the router
 * matches before `/executions/:execution_id` whatever the order of registration.
 */
export function performanceRoutes(app: FastifyInstance, performance: PerformanceService): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const errors = { 400: ErrorOut, 403: ErrorOut, 501: ErrorOut };
  // The range may come in the query string instead: no body at all means `{}`.
  const noBodyIsEmpty = async (request: FastifyRequest) => {
    request.body ??= {};
  };

  r.get(
    '/executions/statistics',
    {
      config: { scope: 'read', access: 'team' },
      schema: {
        summary:
          'Executions started in the last N hours (default 24), counted from the executions: by status, success rate, mean and p95 time',
        tags: ['executions'],
        querystring: StatisticsQuery,
        response: { 200: StatisticsOut, ...errors },
      },
    },
    async (request) => performance.statistics(request.query, request.principal),
  );

  r.post(
    '/executions/cleanup',
    {
      config: { scope: 'admin', access: 'team', audit: 'executions.cleanup' },
      schema: {
        summary: 'Delete executions started more than `days` days ago (default 90), with the hourly rows of the hours they leave',
        description: "A team-bound token deletes only its team's executions.",
        tags: ['executions'],
        querystring: CleanupQuery,
        response: { 200: CleanupOut, ...errors },
      },
    },
    async (request) => performance.cleanup(request.query.days, request.principal),
  );

  r.get(
    '/performance/summary',
    {
      config: { scope: 'read', access: 'team' },
      schema: {
        summary: "One hook's figures over [from, to) (default the last 24 hours), exact from its executions",
        tags: ['performance'],
        querystring: SummaryQuery,
        response: { 200: SummaryOut, ...errors },
      },
    },
    async (request) => performance.summary(request.query, request.principal),
  );

  r.get(
    '/performance/metrics',
    {
      config: { scope: 'read', access: 'team' },
      schema: {
        summary: 'Hourly performance rows, newest hour first; `next_cursor` continues',
        tags: ['performance'],
        querystring: MetricsQuery,
        response: { 200: MetricsList, ...errors },
      },
    },
    async (request) => performance.metrics(request.query, request.principal),
  );

  r.post(
    '/performance/aggregate',
    {
      config: { scope: 'admin', access: 'team', audit: 'performance.aggregate' },
      preValidation: noBodyIsEmpty,
      schema: {
        summary:
          'Recompute the hourly rows of every hour overlapping [from, to) (default the last 24 hours); running it again changes nothing',
        description: "`from` and `to` in the JSON body or the query string (not both). A team-bound token recomputes only its team's rows.",
        tags: ['performance'],
        querystring: AggregateQuery,
        body: AggregateIn,
        response: { 200: AggregateOut, 415: ErrorOut, ...errors },
      },
    },
    async (request) => {
      const body = request.body;
      const query = request.query;
      if (Object.keys(body).length > 0 && (query.from !== undefined || query.to !== undefined)) {
        throw new ValidationError([{ field: 'from', message: 'give the range in the body or in the query string, not both' }]);
      }
      return performance.aggregate(Object.keys(body).length > 0 ? body : query, request.principal);
    },
  );
}
