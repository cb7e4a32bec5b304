import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import { openRuntime } from '../../src/runtime/runtime.ts';
import { createTestApp, JSON_HEADERS, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

describeEachDialect('API tokens and access', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const tokens = () => t.runtime.services.tokens;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  it('without tokens serves loopback only, checks the Host header and sends no CORS headers', async () => {
    const local = await t.app.inject({ url: '/events' });
    expect(local.statusCode).toBe(200);
    expect(local.headers['access-control-allow-origin']).toBeUndefined();
    const rebound = await t.app.inject({ url: '/events', headers: { host: 'evil.example:8080' } });
    expect(rebound.statusCode).toBe(403);
    expect(rebound.json().error.code).toBe('host_not_allowed');
    const remote = await t.app.inject({ url: '/events', remoteAddress: '10.1.2.3' });
    expect(remote.statusCode).toBe(403);
    expect(remote.json().error.code).toBe('tokens_required');
    const preflight = await t.app.inject({ method: 'OPTIONS', url: '/events', headers: { origin: 'http://evil.example' } });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('once a token exists, every route but health needs one; 401 and 403 are distinct', async () => {
    const ingest = await tokens().create({ scopes: ['ingest'], name: 'hook' });
    const read = await tokens().create({ scopes: ['read'] });
    expect(ingest.token).toMatch(/^hookd_[A-Za-z0-9_-]{43}$/);
    expect((await t.app.inject({ url: '/health' })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/health/live' })).statusCode).toBe(200);
    const anonymous = await t.app.inject({ url: '/events' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer');
    expect((await t.app.inject({ url: '/events', headers: auth('hookd_wrong') })).statusCode).toBe(401);
    const wrongScope = await t.app.inject({ url: '/events', headers: auth(ingest.token) });
    expect(wrongScope.statusCode).toBe(403);
    expect(wrongScope.json().error.code).toBe('insufficient_scope');
    const posted = await t.app.inject({
      method: 'POST',
      url: '/events',
      headers: { ...JSON_HEADERS, ...auth(ingest.token) },
      payload: JSON.stringify({ event_type: 'x', session_id: 'auth-1' }),
    });
    expect(posted.statusCode).toBe(202);
    expect((await t.app.inject({ url: '/events', headers: auth(read.token) })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/metrics', headers: auth(read.token) })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/tokens', headers: auth(read.token) })).statusCode).toBe(403);
  });

  it('stores only the SHA-256 of a token and lists no secret', async () => {
    const { token } = await tokens().create({ scopes: ['admin'] });
    const list = await t.app.inject({ url: '/tokens', headers: auth(token) });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(token);
    expect(list.body).not.toContain('hash');
  });

  it('sees tokens created or revoked by another process within a second', async () => {
    const other = await openRuntime(loadConfig({ HOOKD_HOME: '/nonexistent', HOOKD_DATABASE_URL: t.url }));
    try {
      const { token, record } = await other.services.tokens.create({ scopes: ['read'] });
      const deadline = Date.now() + 2500;
      let status = 0;
      while (Date.now() < deadline && status !== 200) {
        status = (await t.app.inject({ url: '/events', headers: auth(token) })).statusCode;
        if (status !== 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe(200);
      await other.services.tokens.revoke(record.id);
      await new Promise((r) => setTimeout(r, 1100));
      expect((await t.app.inject({ url: '/events', headers: auth(token) })).statusCode).toBe(401);
    } finally {
      await other.services.close();
    }
  });

  it('a team-bound token never reads another team’s events', async () => {
    const { token: admin } = await tokens().create({ scopes: ['admin'] });
    await t.app.inject({
      method: 'POST',
      url: '/events/batch',
      headers: { ...JSON_HEADERS, ...auth(admin) },
      payload: JSON.stringify([
        { event_type: 'x', session_id: 'team-s-red', event_id: 'red-1', team_id: 'red' },
        { event_type: 'x', session_id: 'team-s-blue', event_id: 'blue-1', team_id: 'blue' },
      ]),
    });
    const { token: red } = await tokens().create({ scopes: ['read'], teamId: 'red' });
    const items = (await t.app.inject({ url: '/events', headers: auth(red) })).json().items;
    expect(items.map((e: { event_id: string }) => e.event_id)).toEqual(['red-1']);
    expect((await t.app.inject({ url: '/events/blue-1', headers: auth(red) })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/events/red-1', headers: auth(red) })).statusCode).toBe(200);
    const { token: session } = await tokens().create({ scopes: ['read'], sessionId: 'auth-1' });
    const own = (await t.app.inject({ url: '/events', headers: auth(session) })).json().items;
    expect(own.every((e: { session_id: string }) => e.session_id === 'auth-1')).toBe(true);
    expect((await t.app.inject({ url: '/events?session_id=team-s-red', headers: auth(session) })).json().items).toEqual([]);
  });
});
