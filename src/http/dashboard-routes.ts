// The dashboard: the files `npm run build` writes to dist/web (web/ holds their source),
// served by hookd itself on its own port, so there is nothing more to start and nothing
// fetched from elsewhere. The page shell holds no data: every figure it shows comes from
// the API under the caller's own token or session cookie, so the shell itself is open.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { NotFoundError } from '../core/app-error.ts';

/** dist/web from src/http and from dist/http alike. */
export const WEB_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));
/** The dashboard's own paths; `/` is its overview. API paths never start with it. */
export const DASHBOARD_PREFIX = '/ui';

const SHELL_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  // A new build changes the asset names the shell points at: always ask again.
  'cache-control': 'no-cache',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Serves the shell at `/` and under DASHBOARD_PREFIX, and its hashed assets under /assets/. */
export async function dashboardRoutes(app: FastifyInstance, root = WEB_ROOT): Promise<void> {
  const indexPath = join(root, 'index.html');
  const shell = existsSync(indexPath) ? readFileSync(indexPath) : null;
  const sendShell = async (_request: unknown, reply: FastifyReply) => {
    if (!shell) throw new NotFoundError("the dashboard was not built: run 'npm run build'", 'dashboard_not_built');
    return reply.headers(SHELL_HEADERS).send(shell);
  };
  const hidden = { schema: { hide: true } };
  app.get('/', hidden, sendShell);
  app.get(DASHBOARD_PREFIX, hidden, sendShell);
  app.get(`${DASHBOARD_PREFIX}/*`, hidden, sendShell);
  if (!shell) return;
  await app.register(fastifyStatic, {
    root: join(root, 'assets'),
    prefix: '/assets/',
    // File names carry a hash of their content: a cached one never goes stale.
    immutable: true,
    maxAge: '365d',
    index: false,
    schemaHide: true,
    // No directory listings, no dotfiles.
    list: false,
    dotfiles: 'deny',
  });
}
