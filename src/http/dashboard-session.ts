// Signing in to the dashboard: a token, once presented to POST /auth/session, becomes an
// HttpOnly, SameSite=Strict cookie that names the token's id (never the token) until an
// expiry, signed with a key derived from hookd's secret key. Every request the cookie
// carries is checked against the token as it stands now, so revoking the token signs its
// browsers out within a second. Requests that change state with a cookie also carry a CSRF
// token (a keyed hash of the cookie) in a header a cross-site form or image cannot set.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { sign, unsign } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthorizedError } from '../core/app-error.ts';
import type { Principal } from '../core/principal.ts';
import type { SecretKey } from '../core/secret-key.ts';
import type { TokenService } from '../modules/tokens/token-service.ts';

export const SESSION_COOKIE = 'hookd_session';
export const CSRF_HEADER = 'x-hookd-csrf';
/** A week: a control room is left open on a screen; revoking the token ends it sooner. */
export const SESSION_MAX_AGE_S = 7 * 24 * 3600;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface SignedIn {
  principal: Principal;
  /** What state-changing requests send in CSRF_HEADER. */
  csrf: string;
  expiresAt: Date;
}

export interface DashboardSessions {
  /** Sets the cookie for a token that can read; the principal and CSRF token it stands for. */
  signIn(token: string, reply: FastifyReply): Promise<SignedIn>;
  /** The request's session from its cookie, null when it carries none; 401 for an expired, forged or revoked one. */
  fromCookie(request: FastifyRequest): Promise<SignedIn | null>;
  /** Throws unless an unsafe request made with a cookie carries its CSRF token. */
  checkCsrf(request: FastifyRequest, signedIn: SignedIn): void;
  signOut(reply: FastifyReply): void;
}

export function dashboardSessions(tokens: TokenService, secretKey: () => SecretKey | null, now = Date.now): DashboardSessions {
  const keys = () => {
    const key = secretKey();
    if (!key) {
      throw new ForbiddenError(
        'secret_key_required',
        'signing in to the dashboard needs HOOKD_SECRET_KEY on PostgreSQL (the same on every hookd process); API tokens work without it',
      );
    }
    return { cookie: key.derive('dashboard session cookie'), csrf: key.derive('dashboard csrf') };
  };
  const csrfOf = (cookie: string) => createHmac('sha256', keys().csrf).update(cookie).digest('base64url');

  return {
    async signIn(token, reply) {
      const principal = await tokens.authenticate(token);
      if (!principal) throw new UnauthorizedError('unknown or revoked token');
      if (!principal.scopes.has('read') && !principal.scopes.has('admin')) {
        throw new ForbiddenError('insufficient_scope', 'the dashboard needs a token with the read or admin scope');
      }
      const expiresAt = new Date(now() + SESSION_MAX_AGE_S * 1000);
      const value = sign(`${principal.tokenId}.${expiresAt.getTime()}`, keys().cookie);
      void reply.setCookie(SESSION_COOKIE, value, {
        httpOnly: true,
        sameSite: 'strict',
        secure: 'auto',
        path: '/',
        expires: expiresAt,
      });
      return { principal, csrf: csrfOf(value), expiresAt };
    },

    async fromCookie(request) {
      const value = request.cookies[SESSION_COOKIE];
      if (!value) return null;
      const unsigned = unsign(value, keys().cookie);
      if (!unsigned.valid || unsigned.value === null) throw new UnauthorizedError('the dashboard session is not valid: sign in again');
      const dot = unsigned.value.lastIndexOf('.');
      const tokenId = unsigned.value.slice(0, dot);
      const expiresAt = Number(unsigned.value.slice(dot + 1));
      if (dot < 1 || !(expiresAt > now())) throw new UnauthorizedError('the dashboard session has expired: sign in again');
      const principal = await tokens.authenticateId(tokenId);
      if (!principal) throw new UnauthorizedError('the token this dashboard session was signed in with is revoked');
      return { principal, csrf: csrfOf(value), expiresAt: new Date(expiresAt) };
    },

    checkCsrf(request, signedIn) {
      if (SAFE_METHODS.has(request.method)) return;
      const sent = request.headers[CSRF_HEADER];
      const got = Buffer.from(typeof sent === 'string' ? sent : '');
      const expected = Buffer.from(signedIn.csrf);
      if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
        throw new ForbiddenError(
          'csrf_token_required',
          `a request that changes state with a session cookie needs the ${CSRF_HEADER} header`,
        );
      }
    },

    signOut(reply) {
      void reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: 'auto' });
    },
  };
}
