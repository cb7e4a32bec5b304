import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { writeAudit, type ServiceLog } from '../core/audit-log.ts';
import { ErrorOut } from '../core/error-out.ts';
import type { Principal } from '../core/principal.ts';
import type { TokenService } from '../modules/tokens/token-service.ts';
import type { DashboardSessions } from './dashboard-session.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const SessionOut = Type.Object({
  /** How this request was authenticated. */
  via: Type.Union([Type.Literal('cookie'), Type.Literal('bearer'), Type.Literal('open')]),
  token_id: Nullable(Type.String()),
  scopes: Type.Array(Type.String()),
  team_id: Nullable(Type.String()),
  session_id: Nullable(Type.String()),
  /** Sent back in the x-hookd-csrf header by requests that change state with the cookie. */
  csrf_token: Nullable(Type.String()),
  expires_at: Nullable(Type.String({ format: 'date-time' })),
});

function sessionView(via: 'cookie' | 'bearer' | 'open', principal: Principal, csrf: string | null, expiresAt: Date | null) {
  return {
    via,
    token_id: principal.tokenId,
    scopes: [...principal.scopes],
    team_id: principal.teamId,
    session_id: principal.sessionId,
    csrf_token: csrf,
    expires_at: expiresAt ? expiresAt.toISOString() : null,
  };
}

/** Sign-in, who-am-I and sign-out for the dashboard (see dashboard-session.ts). */
export function dashboardSessionRoutes(app: FastifyInstance, sessions: DashboardSessions, tokens: TokenService, log: ServiceLog): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/auth/session',
    {
      // Open: what it checks is the token in the body, as other routes check the header's.
      schema: {
        summary: 'Sign in to the dashboard with an API token (sets an HttpOnly session cookie)',
        tags: ['dashboard'],
        body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 512 }) }),
        response: { 200: SessionOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut },
      },
    },
    async (request, reply) => {
      // The reply sets the cookie and carries the CSRF token: no cache may keep it.
      void reply.header('cache-control', 'no-store');
      const signedIn = await sessions.signIn(request.body.token, reply);
      const { principal } = signedIn;
      writeAudit(log, {
        actor: principal.actor,
        action: 'dashboard.sign_in',
        target: principal.tokenId,
        team: principal.teamId,
        session: principal.sessionId,
      });
      return sessionView('cookie', principal, signedIn.csrf, signedIn.expiresAt);
    },
  );

  r.get(
    '/auth/session',
    {
      config: { scope: 'read', access: 'session' },
      schema: {
        summary: 'Who this request acts as: the dashboard reads its binding, scopes and CSRF token here',
        tags: ['dashboard'],
        response: { 200: SessionOut, 401: ErrorOut, 403: ErrorOut },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      const { principal, signedIn } = request;
      if (signedIn) return sessionView('cookie', principal, signedIn.csrf, signedIn.expiresAt);
      return sessionView((await tokens.required()) ? 'bearer' : 'open', principal, null, null);
    },
  );

  r.delete(
    '/auth/session',
    {
      // Open: signing out must work with an expired or revoked session too.
      schema: {
        summary: 'Sign out of the dashboard (clears the session cookie)',
        tags: ['dashboard'],
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      // A valid session is recorded as signing out; a stale cookie is just cleared.
      const signedIn = await sessions.fromCookie(request).catch(() => null);
      if (signedIn) {
        sessions.checkCsrf(request, signedIn);
        const { principal } = signedIn;
        writeAudit(log, {
          actor: principal.actor,
          action: 'dashboard.sign_out',
          target: principal.tokenId,
          team: principal.teamId,
          session: principal.sessionId,
        });
      }
      sessions.signOut(reply);
      return reply.code(204).send(null);
    },
  );
}
