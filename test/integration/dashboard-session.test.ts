import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sign } from '@fastify/cookie';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import { buildApp } from '../../src/http/app.ts';
import { CSRF_HEADER, SESSION_COOKIE, SESSION_MAX_AGE_S } from '../../src/http/dashboard-session.ts';
import { openRuntime, type Runtime } from '../../src/runtime/runtime.ts';
import { createTestApp, JSON_HEADERS, recordingLog, type TestApp } from '../support/test-app.ts';
import { describeEachDialect, type Dialect } from '../support/test-database.ts';

const SECRET = 'dashboard-session-test-key-0123456789abcdef';
const OTHER_SECRET = 'another-dashboard-session-key-0123456789abcd';
const COOKIE_PURPOSE = 'dashboard session cookie';
const TEAM_A = 'team-a-dash';
const TEAM_B = 'team-b-dash';

interface Cookie {
  /** As sent back in a Cookie header. */
  value: string;
  attributes: Map<string, string>;
}

/** The hookd_session cookie a reply sets, or null. */
function setCookie(res: LightMyRequestResponse): Cookie | null {
  const headers = [res.headers['set-cookie'] ?? []].flat();
  const header = headers.find((h) => h.startsWith(`${SESSION_COOKIE}=`));
  if (!header) return null;
  const [pair, ...rest] = header.split(/;\s*/);
  const attributes = new Map<string, string>();
  for (const attribute of rest) {
    const eq = attribute.indexOf('=');
    attributes.set((eq < 0 ? attribute : attribute.slice(0, eq)).toLowerCase(), eq < 0 ? '' : attribute.slice(eq + 1));
  }
  return { value: pair!.slice(SESSION_COOKIE.length + 1), attributes };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const withCookie = (value: string) => ({ cookie: `${SESSION_COOKIE}=${value}` });

/** On SQLite the key comes from a file in a temporary home; on PostgreSQL from HOOKD_SECRET_KEY. */
function keyEnv(dialect: Dialect, home: string): Record<string, string> {
  return dialect === 'sqlite' ? { HOOKD_HOME: home } : { HOOKD_HOME: home, HOOKD_SECRET_KEY: SECRET };
}

describeEachDialect('dashboard sessions', (dialect) => {
  let t: TestApp;
  let home: string;
  const log = recordingLog();
  /** Every token value this file created: none may reach a reply body or a log line. */
  const secrets: string[] = [];
  let admin: string;
  let adminId: string;
  let read: string;
  let readId: string;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'hookd-dash-home-'));
    t = await createTestApp(dialect, keyEnv(dialect, home), { log });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(home, { recursive: true, force: true });
  });

  async function token(scopes: ('ingest' | 'read' | 'admin')[], teamId: string | null = null) {
    const created = await t.runtime.services.tokens.create({ scopes, teamId });
    secrets.push(created.token);
    return { token: created.token, id: created.record.id };
  }

  function signIn(value: string, app: FastifyInstance = t.app) {
    return app.inject({ method: 'POST', url: '/auth/session', headers: JSON_HEADERS, payload: JSON.stringify({ token: value }) });
  }

  async function signedIn(value: string): Promise<{ cookie: string; csrf: string; body: Record<string, unknown> }> {
    const res = await signIn(value);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    return { cookie: setCookie(res)!.value, csrf: body.csrf_token, body };
  }

  it('answers GET /auth/session via open on loopback while no token exists; a sign-in then is 401', async () => {
    const res = await t.app.inject({ url: '/auth/session' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ via: 'open', token_id: null, team_id: null, session_id: null, csrf_token: null, expires_at: null });
    expect(res.json().scopes).toEqual(expect.arrayContaining(['ingest', 'read', 'admin']));
    const remote = await t.app.inject({ url: '/auth/session', remoteAddress: '10.1.2.3' });
    expect(remote.statusCode).toBe(403);
    const refused = await signIn('hookd_nothing_issued_yet');
    expect(refused.statusCode).toBe(401);
    expect(setCookie(refused)).toBeNull();
  });

  it('signs in a read token: an HttpOnly, SameSite=Strict cookie on / for a week, and the reply never holds the token', async () => {
    ({ token: admin, id: adminId } = await token(['admin']));
    ({ token: read, id: readId } = await token(['read']));
    const before = Date.now();
    const res = await signIn(read);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const cookie = setCookie(res)!;
    expect(cookie).not.toBeNull();
    expect(cookie.attributes.has('httponly')).toBe(true);
    expect(cookie.attributes.get('samesite')).toBe('Strict');
    expect(cookie.attributes.get('path')).toBe('/');
    // Plain HTTP here: 'auto' leaves Secure off (a browser would drop a Secure cookie over http).
    expect(cookie.attributes.has('secure')).toBe(false);
    const expires = Date.parse(cookie.attributes.get('expires')!);
    const week = SESSION_MAX_AGE_S * 1000;
    expect(week).toBe(7 * 24 * 3600 * 1000);
    expect(expires).toBeGreaterThanOrEqual(before + week - 2000);
    expect(expires).toBeLessThanOrEqual(Date.now() + week + 1000);

    const body = res.json();
    expect(body).toMatchObject({ via: 'cookie', token_id: readId, scopes: ['read'], team_id: null, session_id: null });
    expect(body.csrf_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Math.abs(Date.parse(body.expires_at) - expires)).toBeLessThan(1000);
    // The cookie names the token's id, never the token.
    expect(decodeURIComponent(cookie.value).startsWith(`${readId}.`)).toBe(true);
    for (const text of [res.body, JSON.stringify(res.headers), cookie.value, decodeURIComponent(cookie.value)]) {
      expect(text).not.toContain(read);
      expect(text).not.toContain(read.slice('hookd_'.length, 20));
    }

    if (dialect === 'sqlite') {
      // No HOOKD_SECRET_KEY: the key file was made in the home, mode 0600.
      expect(statSync(join(home, 'secret.key')).mode & 0o777).toBe(0o600);
    } else {
      expect(existsSync(join(home, 'secret.key'))).toBe(false);
    }
  });

  it('the cookie alone reads GET /auth/session and GET /sessions; its CSRF token is the sign-in one', async () => {
    const { cookie, csrf } = await signedIn(read);
    const who = await t.app.inject({ url: '/auth/session', headers: withCookie(cookie) });
    expect(who.statusCode, who.body).toBe(200);
    expect(who.headers['cache-control']).toBe('no-store');
    expect(who.json()).toMatchObject({ via: 'cookie', token_id: readId, scopes: ['read'], csrf_token: csrf });
    expect(Date.parse(who.json().expires_at)).toBeGreaterThan(Date.now() + SESSION_MAX_AGE_S * 1000 - 60_000);
    const sessions = await t.app.inject({ url: '/sessions', headers: withCookie(cookie) });
    expect(sessions.statusCode, sessions.body).toBe(200);
    expect(sessions.json().items).toBeInstanceOf(Array);
    // Still a read token: admin routes are refused.
    expect((await t.app.inject({ url: '/tokens', headers: withCookie(cookie) })).json().error.code).toBe('insufficient_scope');
    // Without the cookie (or a token), nothing.
    expect((await t.app.inject({ url: '/sessions' })).statusCode).toBe(401);
  });

  it('refuses an ingest-only token (403 insufficient_scope) and an unknown one (401), setting no cookie', async () => {
    const ingest = await token(['ingest']);
    const refused = await signIn(ingest.token);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('insufficient_scope');
    expect(setCookie(refused)).toBeNull();
    const unknown = await signIn('hookd_not-a-token-anyone-made');
    expect(unknown.statusCode).toBe(401);
    expect(setCookie(unknown)).toBeNull();
    // An ingest token that can also read may sign in: it reads with the cookie.
    const both = await token(['ingest', 'read']);
    expect((await signIn(both.token)).statusCode).toBe(200);
    const empty = await t.app.inject({ method: 'POST', url: '/auth/session', headers: JSON_HEADERS, payload: '{}' });
    expect(empty.statusCode).toBe(400);
  });

  it('refuses a tampered, forged, foreign-keyed or expired cookie with 401', async () => {
    const { cookie } = await signedIn(read);
    const raw = decodeURIComponent(cookie);
    const dot = raw.lastIndexOf('.');
    const signature = raw.slice(dot + 1);
    const flipped = `${raw.slice(0, dot + 1)}${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    const payload = raw.slice(0, dot);
    const key = t.runtime.services.secretKey()!.derive(COOKIE_PURPOSE);
    const cases = {
      'signature changed': flipped,
      'token id changed': `${adminId}${raw.slice(raw.indexOf('.'))}`,
      'expiry pushed out': `${payload.replace(/\.\d+$/, `.${Date.now() + 10 * SESSION_MAX_AGE_S * 1000}`)}.${signature}`,
      unsigned: payload,
      'signed with another key': sign(payload, Buffer.alloc(32, 7)),
      'signed with the secret key itself, not the derived one': sign(payload, SECRET),
      expired: sign(`${readId}.${Date.now() - 1000}`, key),
      'no expiry': sign(`${readId}.`, key),
      'not a number': sign(`${readId}.soon`, key),
      'no token id': sign(`.${Date.now() + 60_000}`, key),
      'an unknown token id': sign(`tok_000000000000.${Date.now() + 60_000}`, key),
      empty: '',
    };
    for (const [what, value] of Object.entries(cases)) {
      const res = await t.app.inject({ url: '/sessions', headers: withCookie(encodeURIComponent(value)) });
      expect(res.statusCode, `${what}: ${res.body}`).toBe(401);
    }
    const expired = await t.app.inject({ url: '/auth/session', headers: withCookie(encodeURIComponent(cases.expired)) });
    expect(expired.json().error.message).toMatch(/expired/);
    // The same forging with the right key and a future expiry is what a valid cookie is.
    const valid = sign(`${readId}.${Date.now() + 60_000}`, key);
    expect((await t.app.inject({ url: '/sessions', headers: withCookie(encodeURIComponent(valid)) })).statusCode).toBe(200);
  });

  it('signs every browser out within a second of its token being revoked, by this process or another', async () => {
    // Another process on the same database and key: it revokes, this one notices on its next refresh.
    const other = await openRuntime(loadConfig({ ...keyEnv(dialect, home), HOOKD_DATABASE_URL: t.url }));
    try {
      const victim = await token(['read']);
      const { cookie } = await signedIn(victim.token);
      expect((await t.app.inject({ url: '/sessions', headers: withCookie(cookie) })).statusCode).toBe(200);
      await other.services.tokens.revoke(victim.id);
      const revokedAt = Date.now();
      let status = 200;
      while (status === 200 && Date.now() - revokedAt < 3000) {
        status = (await t.app.inject({ url: '/sessions', headers: withCookie(cookie) })).statusCode;
        if (status === 200) await new Promise((r) => setTimeout(r, 50));
      }
      expect(status).toBe(401);
      // The snapshot refreshes every second; the rest is slack for a loaded machine.
      expect(Date.now() - revokedAt).toBeLessThan(2000);
      const res = await t.app.inject({ url: '/auth/session', headers: withCookie(cookie) });
      expect(res.json().error.message).toMatch(/revoked/);
    } finally {
      await other.services.close();
    }

    // Revoked through this process's API: at once.
    const second = await token(['read']);
    const { cookie } = await signedIn(second.token);
    const revoke = await t.app.inject({ method: 'DELETE', url: `/tokens/${second.id}`, headers: bearer(admin) });
    expect(revoke.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/sessions', headers: withCookie(cookie) })).statusCode).toBe(401);
    // And a revoked token cannot sign in again.
    expect((await signIn(second.token)).statusCode).toBe(401);
  });

  it('needs the CSRF header on requests that change state with the cookie; a bearer token does not', async () => {
    const { cookie, csrf } = await signedIn(admin);
    const create = (headers: Record<string, string>, sid: string) =>
      t.app.inject({
        method: 'POST',
        url: '/sessions',
        headers: { ...JSON_HEADERS, ...headers },
        payload: JSON.stringify({ session_id: sid }),
      });

    const missing = await create(withCookie(cookie), 'csrf-missing');
    expect(missing.statusCode).toBe(403);
    expect(missing.json().error.code).toBe('csrf_token_required');
    const wrong = await create(
      { ...withCookie(cookie), [CSRF_HEADER]: `${csrf.slice(0, -1)}${csrf.endsWith('A') ? 'B' : 'A'}` },
      'csrf-wrong',
    );
    expect(wrong.json().error.code).toBe('csrf_token_required');
    // Another session's CSRF token is not this one's.
    // A sign-in in the same millisecond would be the same cookie (token id and expiry).
    await new Promise((r) => setTimeout(r, 5));
    const another = await signedIn(admin);
    expect(another.csrf).not.toBe(csrf);
    const crossed = await create({ ...withCookie(cookie), [CSRF_HEADER]: another.csrf }, 'csrf-crossed');
    expect(crossed.json().error.code).toBe('csrf_token_required');
    for (const sid of ['csrf-missing', 'csrf-wrong', 'csrf-crossed']) {
      expect((await t.app.inject({ url: `/sessions/${sid}`, headers: bearer(admin) })).statusCode).toBe(404);
    }

    const ok = await create({ ...withCookie(cookie), [CSRF_HEADER]: csrf }, 'csrf-ok');
    expect(ok.statusCode, ok.body).toBe(201);
    const put = (headers: Record<string, string>) =>
      t.app.inject({
        method: 'PUT',
        url: '/sessions/csrf-ok',
        headers: { ...JSON_HEADERS, ...headers },
        payload: JSON.stringify({ model: 'm' }),
      });
    expect((await put(withCookie(cookie))).statusCode).toBe(403);
    expect((await put({ ...withCookie(cookie), [CSRF_HEADER]: csrf })).statusCode).toBe(200);

    const doomed = await token(['read']);
    const del = (headers: Record<string, string>) => t.app.inject({ method: 'DELETE', url: `/tokens/${doomed.id}`, headers });
    expect((await del(withCookie(cookie))).json().error.code).toBe('csrf_token_required');
    expect((await del({ ...withCookie(cookie), [CSRF_HEADER]: csrf })).statusCode).toBe(204);

    // A bearer token needs no CSRF token (a cross-site page cannot send one), and wins over a cookie.
    expect((await create(bearer(admin), 'csrf-bearer')).statusCode).toBe(201);
    const { cookie: readCookie } = await signedIn(read);
    const both = await t.app.inject({ url: '/auth/session', headers: { ...withCookie(readCookie), ...bearer(admin) } });
    expect(both.json()).toMatchObject({ via: 'bearer', token_id: adminId, csrf_token: null, expires_at: null });
    const badCookie = await t.app.inject({ url: '/sessions', headers: { ...withCookie('forged.value'), ...bearer(read) } });
    expect(badCookie.statusCode).toBe(200);
    // GET needs none.
    expect((await t.app.inject({ url: '/tokens', headers: withCookie(cookie) })).statusCode).toBe(200);
  });

  it("a team-bound token's cookie sees its team's sessions only", async () => {
    for (const [sid, team] of [
      ['dash-a-1', TEAM_A],
      ['dash-b-1', TEAM_B],
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/sessions',
        headers: { ...JSON_HEADERS, ...bearer(admin) },
        payload: JSON.stringify({ session_id: sid, team_id: team }),
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const teamRead = await token(['read'], TEAM_A);
    const { cookie, body } = await signedIn(teamRead.token);
    expect(body).toMatchObject({ token_id: teamRead.id, team_id: TEAM_A });
    const who = await t.app.inject({ url: '/auth/session', headers: withCookie(cookie) });
    expect(who.json()).toMatchObject({ via: 'cookie', team_id: TEAM_A });
    const list = await t.app.inject({ url: '/sessions?limit=200', headers: withCookie(cookie) });
    expect(list.statusCode).toBe(200);
    const ids = list.json().items.map((s: { session_id: string }) => s.session_id);
    expect(ids).toContain('dash-a-1');
    expect(list.body).not.toContain('dash-b-1');
    expect(list.body).not.toContain(TEAM_B);
    expect((await t.app.inject({ url: '/sessions/dash-b-1', headers: withCookie(cookie) })).statusCode).toBe(404);
    // Asking for the other team narrows to the token's own all the same.
    const asked = await t.app.inject({ url: `/sessions?team=${TEAM_B}`, headers: withCookie(cookie) });
    expect(asked.statusCode).toBe(200);
    expect(asked.body).not.toContain('dash-b-1');
  });

  it('writes one audit line on sign-in and one on sign-out, never a token; signing out clears the cookie', async () => {
    const auditLines = () => log.lines.filter((l) => l.message === 'audit').map((l) => l.fields.audit as Record<string, unknown>);
    const before = auditLines().length;
    const user = await token(['read'], TEAM_A);
    const afterCreate = auditLines().length;
    const { cookie, csrf } = await signedIn(user.token);
    const signIns = auditLines().slice(afterCreate);
    expect(signIns).toEqual([{ actor: user.id, action: 'dashboard.sign_in', target: user.id, team: TEAM_A, session: null }]);
    expect(afterCreate - before).toBe(1); // token.create

    // With the cookie but without the CSRF token, sign-out is refused like any change of state.
    const refused = await t.app.inject({ method: 'DELETE', url: '/auth/session', headers: withCookie(cookie) });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('csrf_token_required');
    expect(auditLines().length).toBe(afterCreate + 1);

    const out = await t.app.inject({ method: 'DELETE', url: '/auth/session', headers: { ...withCookie(cookie), [CSRF_HEADER]: csrf } });
    expect(out.statusCode).toBe(204);
    expect(out.body).toBe('');
    const cleared = setCookie(out)!;
    expect(cleared.value).toBe('');
    expect(Date.parse(cleared.attributes.get('expires')!)).toBeLessThan(Date.now());
    expect(cleared.attributes.get('path')).toBe('/');
    expect(auditLines().slice(afterCreate + 1)).toEqual([
      { actor: user.id, action: 'dashboard.sign_out', target: user.id, team: TEAM_A, session: null },
    ]);

    // Without a cookie, or with a stale one, signing out just clears it: no audit line.
    const bare = await t.app.inject({ method: 'DELETE', url: '/auth/session' });
    expect(bare.statusCode).toBe(204);
    expect(setCookie(bare)?.value).toBe('');
    const stale = await t.app.inject({ method: 'DELETE', url: '/auth/session', headers: withCookie('tampered.cookie') });
    expect(stale.statusCode).toBe(204);
    expect(auditLines().length).toBe(afterCreate + 2);

    const everything = JSON.stringify(log.lines);
    expect(secrets.length).toBeGreaterThan(5);
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(everything).not.toContain(decodeURIComponent(cookie));
    expect(everything).not.toContain(csrf);
  });

  it('a second process with the same key accepts the cookie; one with another key does not (rotation signs out)', async () => {
    const { cookie } = await signedIn(read);
    const open = async (env: Record<string, string>): Promise<{ app: FastifyInstance; runtime: Runtime }> => {
      const runtime = await openRuntime(loadConfig({ ...env, HOOKD_DATABASE_URL: t.url }));
      return { app: await buildApp(runtime.services), runtime };
    };
    for (const [env, status] of [
      [keyEnv(dialect, home), 200],
      [{ HOOKD_HOME: home, HOOKD_SECRET_KEY: OTHER_SECRET }, 401],
    ] as const) {
      const second = await open(env);
      try {
        const res = await second.app.inject({ url: '/sessions', headers: withCookie(cookie) });
        expect(res.statusCode, JSON.stringify(env)).toBe(status);
      } finally {
        await second.app.close();
        await second.runtime.services.close();
      }
    }
  });

  if (dialect === 'postgres') {
    describe('without HOOKD_SECRET_KEY', () => {
      let bare: TestApp;
      beforeAll(async () => {
        bare = await createTestApp('postgres', { HOOKD_HOME: join(home, 'unused') });
      });
      afterAll(async () => bare?.close());

      it('refuses sign-in with 403 secret_key_required, while bearer tokens work', async () => {
        const created = await bare.runtime.services.tokens.create({ scopes: ['read'] });
        const res = await signIn(created.token, bare.app);
        expect(res.statusCode).toBe(403);
        expect(res.json().error.code).toBe('secret_key_required');
        expect(res.json().error.message).toContain('HOOKD_SECRET_KEY');
        expect(setCookie(res)).toBeNull();
        expect((await bare.app.inject({ url: '/sessions', headers: bearer(created.token) })).statusCode).toBe(200);
        const who = await bare.app.inject({ url: '/auth/session', headers: bearer(created.token) });
        expect(who.json()).toMatchObject({ via: 'bearer', token_id: created.record.id });
        // A cookie from elsewhere is not honoured, and signing out still clears it.
        expect((await bare.app.inject({ url: '/sessions', headers: withCookie('tok_x.1.sig') })).statusCode).toBe(403);
        expect((await bare.app.inject({ method: 'DELETE', url: '/auth/session', headers: withCookie('tok_x.1.sig') })).statusCode).toBe(
          204,
        );
        expect(existsSync(join(home, 'unused'))).toBe(false);
      });
    });
  } else {
    it('on SQLite, HOOKD_SECRET_KEY is used instead of the key file, and none is made', async () => {
      const otherHome = mkdtempSync(join(tmpdir(), 'hookd-dash-env-'));
      const withEnv = await createTestApp('sqlite', { HOOKD_HOME: otherHome, HOOKD_SECRET_KEY: SECRET });
      try {
        const created = await withEnv.runtime.services.tokens.create({ scopes: ['read'] });
        const res = await signIn(created.token, withEnv.app);
        expect(res.statusCode).toBe(200);
        const cookie = setCookie(res)!.value;
        expect((await withEnv.app.inject({ url: '/sessions', headers: withCookie(cookie) })).statusCode).toBe(200);
        expect(existsSync(join(otherHome, 'secret.key'))).toBe(false);
        expect(withEnv.runtime.services.secretKey()?.origin).toBe('environment');
      } finally {
        await withEnv.close();
        rmSync(otherHome, { recursive: true, force: true });
      }
    });
  }
});
