import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorOut } from '../../core/error-out.ts';
import type { AnalyticsService } from './analytics-service.ts';
import {
  AgentUsageList,
  AnalyticsQuerySchema,
  QualityOut,
  RecentWorkflowsOut,
  RecentWorkflowsQuery,
  SessionScoreOut,
  SessionStatsOut,
  SessionSummaryList,
  SessionSummaryQuery,
  ToolPerformanceOut,
  ToolRateList,
  WorkflowDistributionOut,
} from './analytics-schemas.ts';

const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 255 }) });
const Name = Type.Object({ name: Type.String({ minLength: 1, maxLength: 255 }) });
const errors = { 400: ErrorOut, 403: ErrorOut, 501: ErrorOut };

export function analyticsRoutes(app: FastifyInstance, analytics: AnalyticsService): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  // Figures across sessions are not for a token bound to one session; one session's are.
  const read = { scope: 'read' as const, access: 'team' as const };
  const readSession = { scope: 'read' as const, access: 'session' as const };
  const tags = ['analytics'];

  r.get(
    '/analytics/sessions',
    {
      config: read,
      schema: {
        summary: 'Session intelligence summary, newest start first',
        tags,
        querystring: SessionSummaryQuery,
        response: { 200: SessionSummaryList, ...errors },
      },
    },
    async (request) => analytics.sessions(request.query, request.principal),
  );
  r.get(
    '/analytics/sessions/:id',
    {
      config: readSession,
      schema: {
        summary: 'One session: its summary and calls per tool',
        tags,
        params: Id,
        response: { 200: SessionStatsOut, 404: ErrorOut, ...errors },
      },
    },
    async (request) => analytics.session(request.params.id, request.principal),
  );
  r.get(
    '/analytics/sessions/:id/score',
    {
      config: readSession,
      schema: {
        summary: "A session's success score (0-100) and what it rests on",
        tags,
        params: Id,
        response: { 200: SessionScoreOut, 404: ErrorOut, ...errors },
      },
    },
    async (request) => analytics.score(request.params.id, request.principal),
  );
  r.get(
    '/analytics/tools',
    {
      config: read,
      schema: {
        summary: 'Tool success rates and durations',
        tags,
        querystring: AnalyticsQuerySchema,
        response: { 200: ToolRateList, ...errors },
      },
    },
    async (request) => analytics.tools(request.query, request.principal),
  );
  r.get(
    '/analytics/tools/:name',
    {
      config: read,
      schema: {
        summary: 'One tool over a period (default the last 7 days): totals, day by day, and the change against the period before',
        tags,
        params: Name,
        querystring: AnalyticsQuerySchema,
        response: { 200: ToolPerformanceOut, 404: ErrorOut, ...errors },
      },
    },
    async (request) => analytics.tool(request.params.name, request.query, request.principal),
  );
  r.get(
    '/analytics/workflows',
    {
      config: read,
      schema: {
        summary: 'Sessions per workflow pattern',
        tags,
        querystring: AnalyticsQuerySchema,
        response: { 200: WorkflowDistributionOut, ...errors },
      },
    },
    async (request) => analytics.workflows(request.query, request.principal),
  );
  r.get(
    '/analytics/workflows/recent',
    {
      config: read,
      schema: {
        summary: 'Workflow patterns of the sessions started in the last N days',
        tags,
        querystring: RecentWorkflowsQuery,
        response: { 200: RecentWorkflowsOut, ...errors },
      },
    },
    async (request) => analytics.recentWorkflows(request.query.days ?? 7, request.principal),
  );
  r.get(
    '/analytics/agents',
    {
      config: read,
      schema: {
        summary: 'Subagent usage per subagent type',
        tags,
        querystring: AnalyticsQuerySchema,
        response: { 200: AgentUsageList, ...errors },
      },
    },
    async (request) => analytics.agents(request.query, request.principal),
  );
  r.get(
    '/analytics/quality',
    {
      config: read,
      schema: {
        summary: 'Distributions of session success scores and tool durations',
        tags,
        querystring: AnalyticsQuerySchema,
        response: { 200: QualityOut, ...errors },
      },
    },
    async (request) => analytics.quality(request.query, request.principal),
  );
}
