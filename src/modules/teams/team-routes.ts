import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { noBodyIsEmpty } from '../../core/no-body-is-empty.ts';
import { ErrorOut } from '../../core/error-out.ts';
import type { TeamService } from './team-service.ts';
import { TeamEnableIn, TeamIdParams, TeamList, TeamOut, TeamSaveIn } from './team-schemas.ts';

/** Team configurations (seed 000): read with the read scope, changed with admin. */
export function teamRoutes(app: FastifyInstance, teams: TeamService): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['teams'];
  const errors = { 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 501: ErrorOut };

  r.get(
    '/teams',
    {
      config: { scope: 'read', access: 'team' },
      schema: { summary: 'Every team with a saved configuration', tags, response: { 200: TeamList, ...errors } },
    },
    async (request) => teams.list(request.principal),
  );

  r.get(
    '/teams/:team_id/configuration',
    {
      config: { scope: 'read', access: 'team' },
      schema: {
        summary: "A team's configuration, or the default one (revision 0, is_default true) when it has none",
        tags,
        params: TeamIdParams,
        response: { 200: TeamOut, ...errors },
      },
    },
    async (request) => teams.get(request.params.team_id, request.principal),
  );

  r.put(
    '/teams/:team_id/configuration',
    {
      config: { scope: 'admin', access: 'team', audit: 'team.configure' },
      schema: {
        summary: "Saves a team's whole configuration; each save increments revision, a stale revision answers 409",
        tags,
        params: TeamIdParams,
        body: TeamSaveIn,
        response: { 200: TeamOut, 409: ErrorOut, 413: ErrorOut, 415: ErrorOut, ...errors },
      },
    },
    async (request) => teams.save(request.params.team_id, request.body, request.principal),
  );

  for (const action of ['enable', 'disable'] as const) {
    r.post(
      `/teams/:team_id/${action}`,
      {
        config: { scope: 'admin', access: 'team', audit: `team.${action}` },
        preValidation: noBodyIsEmpty,
        schema: {
          summary: action === 'enable' ? "Runs the team's rules again" : "Stops running the team's rules (the configuration is kept)",
          tags,
          params: TeamIdParams,
          body: TeamEnableIn,
          response: { 200: TeamOut, 409: ErrorOut, ...errors },
        },
      },
      async (request) => teams.setEnabled(request.params.team_id, action === 'enable', request.body.revision, request.principal),
    );
  }
}
