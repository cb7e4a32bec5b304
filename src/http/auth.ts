import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthorizedError } from '../core/app-error.ts';
import { LOCAL_PRINCIPAL, type TokenService } from '../modules/tokens/token-service.ts';
import type { Principal, Scope } from '../core/principal.ts';
import { writeAudit, type ServiceLog } from '../core/audit-log.ts';
import type { DashboardSessions, SignedIn } from './dashboard-session.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
    /** Set when the request was authenticated by a dashboard session cookie. */
    signedIn: SignedIn | null;
  }
  interface FastifyContextConfig {
    /** The scope a route needs; absent = public (health only). */
    scope?: Scope;
    /** Which bound tokens the route serves (see Access); required with `scope`. */
    access?: Access;
    /**
     * The action a successful request records in the `audit` log (`session.delete`); its
     * target is the route's id parameter. Token changes are recorded by the token service.
     */
    audit?: string;
    /** Routes that accept `?access_token=` (EventSource cannot set headers). */
    tokenInQuery?: boolean;
  }
}

/**
 * Which tokens a route serves, by what they are bound to:
 * - `server`: server-wide figures and operations, for unbound tokens only;
 * - `team`: unbound and team-bound tokens, the route narrowing to the token's team in
 *   its store query; a session-bound token is refused (`session_scoped_token`);
 * - `session`: every token, narrowed to its team and session.
 * docs/access.md tabulates it per route, and the matrix test holds every route to it.
 */
export type Access = 'server' | 'team' | 'session';

const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)(?::\d+)?$/i;

export function isLoopbackAddress(address: string | undefined): boolean {
  return !!address && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));
}

/**
 * While no token exists hookd trusts loopback callers only, and only when the Host
 * header names loopback too (a browser page rebinding a DNS name to 127.0.0.1 would
 * send its own name). Once a token exists, every route but health needs one.
 */
export function registerAuth(
  app: FastifyInstance,
  tokens: TokenService | null,
  log: ServiceLog,
  sessions: DashboardSessions | null = null,
): void {
  app.decorateRequest('principal', null as unknown as Principal);
  app.decorateRequest('signedIn', null);
  app.addHook('onRoute', (route) => {
    const config = route.config as { scope?: Scope; access?: Access } | undefined;
    if (config?.scope && !config.access) throw new Error(`route ${route.method} ${route.url} needs config.access beside its scope`);
  });
  app.addHook('onResponse', async (request, reply) => {
    const action = request.routeOptions.config?.audit;
    if (!action || reply.statusCode >= 400) return;
    const { actor, teamId, sessionId } = request.principal;
    writeAudit(log, { actor, action, target: targetOf(request.params, request.body), team: teamId, session: sessionId });
  });
  app.addHook('onRequest', async (request) => {
    // First, whatever follows: no log line or error may show a token from the URL.
    if (request.routeOptions.config?.tokenInQuery) request.raw.url = withoutQueryToken(request.raw.url ?? '');
    const scope = request.routeOptions.config?.scope;
    if (!scope) {
      request.principal = LOCAL_PRINCIPAL;
      return;
    }
    if (!tokens || !(await tokens.required())) {
      if (!isLoopbackAddress(request.socket.remoteAddress)) {
        throw new ForbiddenError('tokens_required', 'no API token exists yet: only loopback clients are served');
      }
      if (!LOOPBACK_HOST.test(request.headers.host ?? '')) {
        throw new ForbiddenError('host_not_allowed', 'Host header must name a loopback address while no API token exists');
      }
      request.principal = LOCAL_PRINCIPAL;
      return;
    }
    const principal = await authenticate(request, tokens, sessions);
    if (!principal.scopes.has(scope) && !principal.scopes.has('admin')) {
      throw new ForbiddenError('insufficient_scope', `this route needs a token with the ${scope} scope`);
    }
    refuseBinding(request.routeOptions.config?.access, principal);
    request.principal = principal;
  });
}

/** The bearer token's principal, else the dashboard session cookie's (with its CSRF check), else 401. */
async function authenticate(request: FastifyRequest, tokens: TokenService, sessions: DashboardSessions | null): Promise<Principal> {
  const presented = bearerOf(request);
  if (presented) {
    const principal = await tokens.authenticate(presented);
    if (!principal) throw new UnauthorizedError('unknown or revoked token');
    return principal;
  }
  const signedIn = sessions ? await sessions.fromCookie(request) : null;
  if (!signedIn) throw new UnauthorizedError();
  sessions!.checkCsrf(request, signedIn);
  request.signedIn = signedIn;
  return signedIn.principal;
}

/** The id a route acts on: its path parameter (`:id`, `:team_id`), else the body's session_id (POST /sessions), else none (a cleanup). */
function targetOf(params: unknown, body: unknown): string | null {
  const values = Object.values((params ?? {}) as Record<string, unknown>);
  if (typeof values[0] === 'string') return values[0];
  const sessionId = (body as { session_id?: unknown } | null | undefined)?.session_id;
  return typeof sessionId === 'string' ? sessionId : null;
}

function refuseBinding(access: Access | undefined, principal: Principal): void {
  if (access === 'server' && (principal.teamId || principal.sessionId)) {
    throw new ForbiddenError('bound_token', 'this route is server-wide: it needs a token bound to no team or session');
  }
  if (access !== 'session' && principal.sessionId) {
    throw new ForbiddenError('session_scoped_token', 'this token is bound to one session; this route needs a token that is not');
  }
}

/** The URL without its access_token parameter (request.query, parsed before, still has it). */
export function withoutQueryToken(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const kept = url
    .slice(q + 1)
    .split('&')
    .filter((pair) => queryKey(pair) !== 'access_token');
  return kept.length ? `${url.slice(0, q)}?${kept.join('&')}` : url.slice(0, q);
}

/** The decoded name of one `name=value` pair, as the query parser sees it (`access%5Ftoken` too). */
function queryKey(pair: string): string {
  const name = pair.split('=', 1)[0]!.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

function bearerOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match ? match[1]! : null;
  }
  if (request.routeOptions.config?.tokenInQuery) {
    const token = (request.query as Record<string, unknown> | undefined)?.access_token;
    if (typeof token === 'string' && token) return token;
  }
  return null;
}
