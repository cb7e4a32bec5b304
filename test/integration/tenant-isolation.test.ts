import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/core/config.ts';
import { buildApp } from '../../src/http/app.ts';
import { openRuntime, type Runtime } from '../../src/runtime/runtime.ts';
import { createTestApp, JSON_HEADERS, recordingLog, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

/**
 * The reproductions of a hostile tenant: writes into another team's session, a bound admin
 * minting wider tokens, session-bound reads across sessions, and the last revoke switching
 * authentication off. Each answers as docs/access.md says.
 */
describeEachDialect('tenant isolation', (dialect) => {
  let t: TestApp;
  const log = recordingLog();
  beforeAll(async () => {
    t = await createTestApp(dialect, {}, { log });
  });
  afterAll(async () => t?.close());

  const tokens = () => t.runtime.services.tokens;
  const token = async (scopes: ('ingest' | 'read' | 'admin')[], teamId: string | null = null, sessionId: string | null = null) =>
    (await tokens().create({ scopes, teamId, sessionId })).token;
  const send = async (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    bearer: string,
    body?: unknown,
    app: FastifyInstance = t.app,
  ) => {
    const res = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : JSON_HEADERS) },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : null };
  };
  const prompt = (sessionId: string, text: string) => ({
    hook_event_name: 'UserPromptSubmit',
    session_id: sessionId,
    cwd: '/home/victim/secret-project',
    prompt: text,
  });

  let root: string;
  beforeAll(async () => {
    root = await token(['admin']);
  });

  it("refuses a team-bound write into another team's session, which stays its owner's", async () => {
    const owner = await token(['ingest', 'read', 'admin'], 'owners');
    const thief = await token(['ingest', 'read', 'admin'], 'thieves');
    expect((await send('POST', '/hooks/claude-code', owner, prompt('owned-1', 'mine'))).status).toBe(200);

    const hook = await send('POST', '/hooks/claude-code', thief, prompt('owned-1', 'take it'));
    expect(hook.status).toBe(404);
    expect(hook.body.error.code).toBe('session_not_found');
    const single = await send('POST', '/events', thief, { event_type: 'x', session_id: 'owned-1', data: { cwd: '/tmp' } });
    expect(single.status).toBe(404);
    expect(single.body.error.details.problems[0].field).toBe('session_id');
    const batch = await send('POST', '/events/batch', thief, [
      { event_type: 'x', session_id: 'thief-new', event_id: 'b0' },
      { event_type: 'x', session_id: 'thief-new', event_id: 'b1' },
      { event_type: 'x', session_id: 'owned-1', event_id: 'b2' },
    ]);
    expect(batch.status).toBe(404);
    expect(batch.body.error.details.problems).toEqual([expect.objectContaining({ field: '[2].session_id', index: 2 })]);
    // The batch was refused whole: its new session was not stored, nor claimed.
    expect((await send('GET', '/events?session_id=thief-new', root)).body.items).toEqual([]);
    expect((await send('POST', '/events', owner, { event_type: 'x', session_id: 'thief-new' })).status).toBe(202);

    const session = await send('GET', '/sessions/owned-1', owner);
    expect(session.body).toMatchObject({ team_id: 'owners', prompts: 1 });
    expect((await send('GET', '/sessions/owned-1', thief)).status).toBe(404);
    expect((await send('GET', '/tool-uses?session_id=owned-1', thief)).body.items).toEqual([]);
    expect((await send('DELETE', '/sessions/owned-1', thief)).status).toBe(404);
    expect((await send('GET', '/sessions/owned-1', root)).status).toBe(200);
  });

  it('refuses a session-bound write into any other session, and lets one without a team write its own', async () => {
    expect((await send('POST', '/events', root, { event_type: 'x', session_id: 'ops-1', team_id: 'owners' })).status).toBe(202);
    const bound = await token(['ingest'], null, 'mine-1');
    for (const [url, body] of [
      ['/events', { event_type: 'x', session_id: 'ops-1' }],
      ['/events', { event_type: 'x', session_id: 'brand-new' }],
      ['/hooks/claude-code', prompt('ops-1', 'x')],
    ] as const) {
      const res = await send('POST', url, bound, body);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('session_not_found');
    }
    expect((await send('POST', '/events', bound, { event_type: 'x', session_id: 'mine-1' })).status).toBe(202);
    const teamed = await token(['ingest'], 'owners', 'ops-1');
    expect((await send('POST', '/events', teamed, { event_type: 'x', session_id: 'ops-1' })).status).toBe(202);
    const wrongTeam = await token(['ingest'], 'thieves', 'ops-1');
    expect((await send('POST', '/events', wrongTeam, { event_type: 'x', session_id: 'ops-1' })).status).toBe(404);
  });

  it("stores an unbound writer's later events under the session's team and refuses to move a session", async () => {
    expect(
      (await send('POST', '/events', root, { event_type: 'x', session_id: 'fixed-1', team_id: 'owners', event_id: 'f1' })).status,
    ).toBe(202);
    expect(
      (await send('POST', '/events', root, { event_type: 'x', session_id: 'fixed-1', team_id: 'thieves', event_id: 'f2' })).status,
    ).toBe(202);
    const events = (await send('GET', '/events?session_id=fixed-1', root)).body.items;
    expect(events.map((e: { team_id: string }) => e.team_id)).toEqual(['owners', 'owners']);
    const moved = await send('PUT', '/sessions/fixed-1', root, { team_id: 'thieves' });
    expect(moved.status).toBe(409);
    expect(moved.body.error.code).toBe('session_team_fixed');
    expect((await send('GET', '/sessions/fixed-1', root)).body.team_id).toBe('owners');
    // A deleted session's id stays its team's.
    expect((await send('DELETE', '/sessions/fixed-1', root)).status).toBe(204);
    const thief = await token(['ingest'], 'thieves');
    expect((await send('POST', '/events', thief, { event_type: 'x', session_id: 'fixed-1' })).status).toBe(404);
  });

  it('gives a new session to exactly one of two teams racing for it, from two processes', async () => {
    const other: Runtime = await openRuntime(loadConfig({ HOOKD_HOME: '/nonexistent', HOOKD_DATABASE_URL: t.url }));
    const otherApp = await buildApp(other.services);
    try {
      const red = await token(['ingest'], 'red');
      const blue = await token(['ingest'], 'blue');
      const ids = Array.from({ length: 20 }, (_, i) => `race-${i}`);
      const results = await Promise.all(
        ids.flatMap((id) => [
          send('POST', '/events', red, { event_type: 'x', session_id: id, team_id: 'red' }),
          send('POST', '/events', blue, { event_type: 'x', session_id: id }, otherApp),
        ]),
      );
      for (let i = 0; i < ids.length; i++) {
        const statuses = [results[2 * i]!.status, results[2 * i + 1]!.status].sort();
        expect(statuses, ids[i]).toEqual([202, 404]);
        const teams = (await send('GET', `/events?session_id=${ids[i]}`, root)).body.items.map((e: { team_id: string }) => e.team_id);
        expect(teams).toHaveLength(1);
        expect(teams[0]).toBe(results[2 * i]!.status === 202 ? 'red' : 'blue');
      }
    } finally {
      await otherApp.close();
      await other.services.close();
    }
  });

  it('lets a team-bound admin mint only tokens of its own team, and list or revoke only those', async () => {
    const admin = await token(['admin'], 'owners');
    const foreign = await tokens().create({ scopes: ['read'], teamId: 'thieves' });
    const minted = await send('POST', '/tokens', admin, { scopes: ['admin'] });
    expect(minted.status).toBe(201);
    expect(minted.body).toMatchObject({ team_id: 'owners', scopes: ['admin'] });
    const wider = await send('POST', '/tokens', admin, { scopes: ['read'], team_id: 'thieves' });
    expect(wider.status).toBe(403);
    expect(wider.body.error.code).toBe('binding_too_wide');
    const listed = (await send('GET', '/tokens', admin)).body.items;
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((k: { team_id: string }) => k.team_id === 'owners')).toBe(true);
    expect((await send('DELETE', `/tokens/${foreign.record.id}`, admin)).status).toBe(404);
    expect((await send('GET', '/events', foreign.token)).status).toBe(200);

    const sessionAdmin = await token(['admin'], 'owners', 'owned-1');
    const narrow = await send('POST', '/tokens', sessionAdmin, { scopes: ['read'] });
    expect(narrow.body).toMatchObject({ team_id: 'owners', session_id: 'owned-1' });
    expect((await send('POST', '/tokens', sessionAdmin, { scopes: ['read'], session_id: 'other' })).status).toBe(403);
    expect((await send('GET', '/tokens', sessionAdmin)).body.error.code).toBe('session_scoped_token');
  });

  it('keeps a session-bound token to its session on every read across sessions', async () => {
    const reader = await token(['read'], 'owners', 'owned-1');
    expect((await send('GET', '/analytics/sessions', reader)).body.error.code).toBe('session_scoped_token');
    for (const url of ['/executions', '/executions/statistics', '/teams', '/teams/thieves/configuration', '/performance/metrics']) {
      const res = await send('GET', url, reader);
      expect(res.status, url).toBe(403);
    }
    expect((await send('GET', '/metrics', await token(['read'], 'owners'))).body.error.code).toBe('bound_token');
    expect((await send('GET', '/analytics/sessions/owned-1', reader)).status).toBe(200);
  });

  it('writes one audit line per token change and session delete, naming no secret', async () => {
    const before = log.lines.length;
    const admin = await token(['admin'], 'owners');
    const created = await send('POST', '/tokens', admin, { scopes: ['read'], name: 'audited' });
    await send('DELETE', `/tokens/${created.body.id}`, admin);
    expect((await send('POST', '/events', admin, { event_type: 'x', session_id: 'audit-1' })).status).toBe(202);
    expect((await send('DELETE', '/sessions/audit-1', admin)).status).toBe(204);
    const audits = log.lines
      .slice(before)
      .filter((l) => l.message === 'audit')
      .map((l) => l.fields.audit as Record<string, unknown>);
    const adminId = audits[0]!.target;
    expect(audits).toEqual([
      { actor: 'cli', action: 'token.create', target: adminId, team: null, session: null },
      { actor: adminId, action: 'token.create', target: created.body.id, team: 'owners', session: null },
      { actor: adminId, action: 'token.revoke', target: created.body.id, team: 'owners', session: null },
      { actor: adminId, action: 'session.delete', target: 'audit-1', team: 'owners', session: null },
    ]);
    expect(JSON.stringify(log.lines)).not.toContain(created.body.token);
  });

  it('never switches authentication off: with every token revoked, only the command line gets back in', async () => {
    for (const k of await tokens().list()) if (!k.revokedAt) await tokens().revoke(k.id);
    await new Promise((r) => setTimeout(r, 1100));
    expect(log.lines.some((l) => l.level === 'warn' && /last API token was revoked.*hookd token create/.test(l.message))).toBe(true);
    expect((await t.app.inject({ url: '/events' })).statusCode).toBe(401);
    const mint = await t.app.inject({
      method: 'POST',
      url: '/tokens',
      headers: JSON_HEADERS,
      payload: JSON.stringify({ scopes: ['admin'] }),
    });
    expect(mint.statusCode).toBe(401);
    expect((await send('GET', '/events', root)).status).toBe(401);
    expect((await t.app.inject({ url: '/health' })).statusCode).toBe(200);
    // What `hookd token create` does: open the storage directly, in another process.
    const cli = await openRuntime(loadConfig({ HOOKD_HOME: '/nonexistent', HOOKD_DATABASE_URL: t.url }));
    const { token: recovered } = await cli.services.tokens.create({ scopes: ['admin'] });
    await cli.services.close();
    await new Promise((r) => setTimeout(r, 1100));
    expect((await send('GET', '/events', recovered)).status).toBe(200);
  });
});
