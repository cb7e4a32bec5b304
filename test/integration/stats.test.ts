import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Migrator } from '../../src/db/migrator.ts';
import { derivableJson } from '../../src/modules/events/derivable-event.ts';
import { factsOf } from '../../src/modules/events/event-facts.ts';
import { expectExactEventMinutes, rows } from '../support/analytics-tables.ts';
import { createTestApp, JSON_HEADERS, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

const MINUTE = 60_000;
const SECRET_KEY = 'k'.repeat(40);

interface Activity {
  from: string;
  to: string;
  step_seconds: number;
  total: number;
  buckets: { at: string; events: number }[];
}

describeEachDialect('dashboard figures: /stats and /settings', (dialect) => {
  let t: TestApp;
  let home: string;
  let admin: string;
  /** Minute starts a few minutes back, away from both ends of a 60-minute window. */
  let m5: number;
  let m7: number;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'hookd-stats-'));
    t = await createTestApp(dialect, {
      HOOKD_HOME: home,
      HOOKD_SECRET_KEY: SECRET_KEY,
      HOOKD_MAX_BATCH_EVENTS: '77',
      HOOKD_CAPTURE: 'full',
      HOOKD_MAX_FIELD_BYTES: '4096',
    });
    admin = (await t.runtime.services.tokens.create({ scopes: ['admin'] })).token;
    const now = Date.now();
    m5 = Math.floor(now / MINUTE) * MINUTE - 5 * MINUTE;
    m7 = m5 - 2 * MINUTE;
    const e = (session: string, team: string | null, source: string, ts: number, type = 'prompt_submitted', data = {}) => ({
      session_id: session,
      event_type: type,
      source,
      timestamp: ts,
      data,
      ...(team ? { team_id: team } : {}),
    });
    await post([
      e('st-red-1', 'red', 'claude-code', m5 + 1000, 'session_started'),
      e('st-red-1', 'red', 'claude-code', m5 + 2000),
      e('st-red-1', 'red', 'claude-code', m7 + 59_000),
      e('st-red-2', 'red', 'codex', m5 + 3000, 'session_started'),
      e('st-red-2', 'red', 'codex', m5 + 4000, 'session_ended', { reason: 'logout' }),
      e('st-blue', 'blue', 'claude-code', m7, 'session_started'),
      e('st-blue', 'blue', 'claude-code', m7 + 1, 'notification', { notification_type: 'idle_prompt' }),
      e('st-none', null, 'sdk', m5 + 5000, 'session_started'),
      // Two hours back: outside a 60-minute window, inside a 1440-minute one.
      e('st-none', null, 'sdk', m5 - 120 * MINUTE),
      // Three days back: older than the 48 hours kept, so counted nowhere.
      e('st-old', 'red', 'claude-code', m5 - 72 * 60 * MINUTE, 'session_started'),
      e('st-old', 'red', 'claude-code', m5 - 72 * 60 * MINUTE + 1, 'session_ended', { reason: 'logout' }),
    ]);
  });
  afterAll(async () => {
    await t?.close();
    rmSync(home, { recursive: true, force: true });
  });

  async function post(events: unknown[]): Promise<void> {
    const res = await t.app.inject({
      method: 'POST',
      url: '/events/batch',
      headers: { ...JSON_HEADERS, ...auth(admin) },
      payload: JSON.stringify(events),
    });
    expect(res.statusCode).toBe(202);
  }

  const get = (url: string, token = admin) => t.app.inject({ url, headers: auth(token) });
  async function activity(query: string, token = admin): Promise<Activity> {
    const res = await get(`/stats/events${query}`, token);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Activity;
  }
  /** The events of the minute starting at `at`. */
  const at = (a: Activity, minute: number) => a.buckets.find((b) => b.at === new Date(minute).toISOString())?.events;
  const nonZero = (a: Activity) => Object.fromEntries(a.buckets.filter((b) => b.events > 0).map((b) => [b.at, b.events]));
  const iso = (ms: number) => new Date(ms).toISOString();

  it('counts events per minute of their timestamp, every minute of the window present', async () => {
    const a = await activity('');
    expect(a.step_seconds).toBe(60);
    expect(a.buckets).toHaveLength(60);
    expect(Date.parse(a.to) - Date.parse(a.from)).toBe(60 * MINUTE);
    expect(a.buckets[0]!.at).toBe(a.from);
    // The last minute is the one under way.
    expect(Date.parse(a.buckets.at(-1)!.at)).toBe(Date.parse(a.to) - MINUTE);
    expect(a.buckets.every((b, i) => Date.parse(b.at) === Date.parse(a.from) + i * MINUTE)).toBe(true);
    expect(nonZero(a)).toEqual({ [iso(m7)]: 3, [iso(m5)]: 5 });
    expect(a.total).toBe(8);

    const day = await activity('?minutes=1440');
    expect(day.buckets).toHaveLength(1440);
    expect(nonZero(day)).toEqual({ [iso(m5 - 120 * MINUTE)]: 1, [iso(m7)]: 3, [iso(m5)]: 5 });
    expect(day.total).toBe(9);
    expect((await activity('?minutes=1')).buckets).toHaveLength(1);
  });

  it('filters by source and team; a team-bound token reads its own team only', async () => {
    expect(nonZero(await activity('?source=codex'))).toEqual({ [iso(m5)]: 2 });
    expect(nonZero(await activity('?team=red'))).toEqual({ [iso(m7)]: 1, [iso(m5)]: 4 });
    expect(nonZero(await activity('?team=red&source=claude-code'))).toEqual({ [iso(m7)]: 1, [iso(m5)]: 2 });
    expect((await activity('?team=nobody')).total).toBe(0);

    const red = (await t.runtime.services.tokens.create({ scopes: ['read'], teamId: 'red' })).token;
    const mine = await activity('', red);
    expect(nonZero(mine)).toEqual({ [iso(m7)]: 1, [iso(m5)]: 4 });
    expect(mine.total).toBe(5);
    expect(nonZero(await activity('?source=claude-code', red))).toEqual({ [iso(m7)]: 1, [iso(m5)]: 2 });
    // Naming another team finds nothing, as in analytics.
    expect((await activity('?team=blue', red)).total).toBe(0);
    expect((await activity('?team=red', red)).total).toBe(5);

    const session = (await t.runtime.services.tokens.create({ scopes: ['read'], teamId: 'red', sessionId: 'st-red-1' })).token;
    const refused = await get('/stats/events', session);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('session_scoped_token');
  });

  it('takes a deleted session out of the counts, and keeps the rollup exact', async () => {
    await expectExactEventMinutes(t.runtime.db!);
    expect((await t.app.inject({ method: 'DELETE', url: '/sessions/st-red-2', headers: auth(admin) })).statusCode).toBe(204);
    expect(at(await activity(''), m5)).toBe(3);
    expect((await activity('?source=codex')).total).toBe(0);
    // Deleting a session older than the minutes kept takes nothing away from what is kept.
    expect((await t.app.inject({ method: 'DELETE', url: '/sessions/st-old', headers: auth(admin) })).statusCode).toBe(204);
    await expectExactEventMinutes(t.runtime.db!);
    await post([{ session_id: 'st-red-2', event_type: 'prompt_submitted', source: 'codex', team_id: 'red', timestamp: m5 + 6000 }]);
    expect(nonZero(await activity('?source=codex'))).toEqual({ [iso(m5)]: 1 });
    // A rebuild rewrites sessions from the same events: the minutes stay as they are.
    await t.runtime.services.sessionMaintenance.rebuild();
    await expectExactEventMinutes(t.runtime.db!);
    expect((await activity('')).total).toBe(7);
  });

  it('prunes minutes older than the 48 hours kept, and nothing newer', async () => {
    const db = t.runtime.db!;
    const old = Math.floor((Date.now() - 49 * 60 * MINUTE) / MINUTE) * MINUTE;
    const minute = db.kind === 'sqlite' ? String(old) : `to_timestamp(${old / 1000})`;
    await rows(
      db,
      `INSERT INTO event_minutes (grain, team_id, minute, source, events) VALUES ('all', '', ${minute}, 'sdk', 4) RETURNING 1`,
    );
    expect(await t.runtime.services.stats.prune()).toBe(1);
    expect(await t.runtime.services.stats.prune()).toBe(0);
    await expectExactEventMinutes(db);
  });

  it('refuses a window outside 1 to 1440 minutes with a 400 naming the field', async () => {
    for (const minutes of ['0', '1441', '-5', '1.5', 'abc', '99999999999999999999', '']) {
      const res = await get(`/stats/events?minutes=${minutes}`);
      expect(res.statusCode, minutes).toBe(400);
      expect(res.json().error.details.problems[0].field).toBe('querystring.minutes');
    }
    for (const [query, field] of [
      ['source=', 'querystring.source'],
      ['team=', 'querystring.team'],
      ['source=a%00b', 'querystring.source'],
    ]) {
      const res = await get(`/stats/events?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.details.problems[0].field).toBe(field);
    }
  });

  it('counts open sessions active and idle now, and those ended since a time', async () => {
    const counts = async (query: string, token = admin) => {
      const res = await get(`/stats/sessions${query}`, token);
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    // Open: st-red-1 and st-none active, st-blue idle; st-red-2 (re-created by its last
    // event) active; ended: st-red-2's end went with its deletion, st-old is gone.
    await post([
      { session_id: 'st-gone', event_type: 'session_started', team_id: 'blue', timestamp: m7 },
      { session_id: 'st-gone', event_type: 'session_ended', team_id: 'blue', timestamp: m5, data: { reason: 'logout' } },
      { session_id: 'st-past', event_type: 'session_started', team_id: 'red', timestamp: m5 - 30 * 60 * MINUTE },
      { session_id: 'st-past', event_type: 'session_ended', team_id: 'red', timestamp: m5 - 30 * 60 * MINUTE + 1, data: { reason: 'x' } },
    ]);
    const all = await counts('');
    expect(all).toMatchObject({ active: 3, idle: 1, ended: 1 });
    expect(Math.abs(Date.parse(all.since) - (Date.now() - 24 * 60 * MINUTE))).toBeLessThan(60_000);
    expect(await counts('?since=2d')).toMatchObject({ active: 3, idle: 1, ended: 2 });
    expect(await counts('?since=1m')).toMatchObject({ ended: 0 });
    // Further back than 1970: counted from 1970.
    expect(await counts('?since=999999w')).toEqual({ active: 3, idle: 1, ended: 2, since: '1970-01-01T00:00:00.000Z' });

    const red = (await t.runtime.services.tokens.create({ scopes: ['read'], teamId: 'red' })).token;
    expect(await counts('?since=2d', red)).toMatchObject({ active: 2, idle: 0, ended: 1 });
    const blue = (await t.runtime.services.tokens.create({ scopes: ['read'], teamId: 'blue' })).token;
    expect(await counts('', blue)).toMatchObject({ active: 0, idle: 1, ended: 1 });
    const oneSession = (await t.runtime.services.tokens.create({ scopes: ['read'], teamId: 'blue', sessionId: 'st-blue' })).token;
    expect(await counts('', oneSession)).toMatchObject({ active: 0, idle: 1, ended: 0 });
    const otherSession = (await t.runtime.services.tokens.create({ scopes: ['read'], teamId: 'blue', sessionId: 'st-gone' })).token;
    expect(await counts('', otherSession)).toMatchObject({ active: 0, idle: 0, ended: 1 });

    for (const since of ['24', 'h', '1y', '1234567h', '-1h', 'abc', '']) {
      const res = await get(`/stats/sessions?since=${since}`);
      expect(res.statusCode, since).toBe(400);
      expect(res.json().error.details.problems[0].field).toBe('querystring.since');
    }
  });

  it('shows the settings in force and never a secret', async () => {
    const res = await get('/settings');
    expect(res.statusCode).toBe(200);
    const settings = res.json();
    expect(settings).toMatchObject({
      storage: dialect,
      capture: { mode: 'full', max_field_bytes: 4096 },
      limits: { max_batch_events: 77, max_body_bytes: t.config.limits.maxBodyBytes, max_data_depth: 128 },
      derivation: { backlog_max_events: t.config.sessions.deriveBacklogMax },
      stream: { buffer_bytes: t.config.stream.bufferBytes, heartbeat_ms: t.config.stream.heartbeatMs },
      dashboard: { sign_in: true },
    });
    expect(settings.version).toMatch(/^\d+\.\d+\.\d+/);
    const text = res.body;
    const url = new URL(t.url);
    for (const secret of [SECRET_KEY, t.url, home, admin, url.pathname.slice(1) || 'never']) expect(text).not.toContain(secret);
    if (url.password) expect(text).not.toContain(url.password);
    // A read token of any binding sees the same.
    const session = (await t.runtime.services.tokens.create({ scopes: ['read'], teamId: 'red', sessionId: 'st-red-1' })).token;
    expect((await get('/settings', session)).json()).toEqual(settings);
    const ingest = (await t.runtime.services.tokens.create({ scopes: ['ingest'] })).token;
    expect((await get('/settings', ingest)).statusCode).toBe(403);
  });

  it('says dashboard sign-in is unavailable when there is no key to sign with, or it cannot be used', async () => {
    // A key file others may read is refused (SQLite); PostgreSQL without HOOKD_SECRET_KEY has no key.
    const dir = mkdtempSync(join(tmpdir(), 'hookd-stats-nokey-'));
    writeFileSync(join(dir, 'secret.key'), `${'x'.repeat(44)}\n`);
    chmodSync(join(dir, 'secret.key'), 0o644);
    const other = await createTestApp(dialect, { HOOKD_HOME: dir });
    try {
      const res = await other.app.inject({ url: '/settings' });
      expect(res.statusCode).toBe(200);
      expect(res.json().dashboard).toEqual({ sign_in: false });
    } finally {
      await other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fills event_minutes from the derived events of the last 48 hours when migrating, and leaves the rest to the passes', async () => {
    const db = t.runtime.db!;
    const migrator = new Migrator(db);
    await migrator.down(13);
    const ms = (v: number) => (db.kind === 'sqlite' ? String(v) : `to_timestamp(${v / 1000})`);
    const insert = (id: string, session: string, team: string | null, ts: number) =>
      `INSERT INTO events (event_id, session_id, event_type, ts, received_at, source, team_id, data)
       VALUES ('${id}', '${session}', 'prompt_submitted', ${ms(ts)}, ${ms(ts)}, 'sdk', ${team ? `'${team}'` : 'NULL'}, '{}') RETURNING 1`;
    // Derived before the upgrade: SQLite moves its cursor past them, PostgreSQL has no queue row.
    await rows(db, insert('mig-1', 'st-mig', 'green', m5 + 7000));
    await rows(db, insert('mig-2', 'st-mig', 'green', m7 + 7000));
    await rows(db, insert('mig-old', 'st-mig', 'green', m5 - 50 * 60 * MINUTE));
    if (db.kind === 'sqlite') db.sqlite.exec(`UPDATE derivation_cursor SET last_id = (SELECT max(id) FROM events) WHERE name = 'sessions'`);
    // Stored but not derived yet: the pass after the upgrade counts it, the fill must not.
    await rows(db, insert('mig-3', 'st-mig', 'green', m5 + 8000));
    if (db.kind === 'postgres') {
      const queued = derivableJson({
        eventId: 'mig-3',
        sessionId: 'st-mig',
        eventType: 'prompt_submitted',
        ts: m5 + 8000,
        source: 'sdk',
        teamId: 'green',
        user: null,
        host: null,
        facts: factsOf('prompt_submitted', {}),
      });
      await rows(db, `INSERT INTO derivation_queue (events, event_count) VALUES ('[${queued}]', 1) RETURNING 1`);
    }
    // 0014 and whatever came after it.
    expect((await migrator.up())[0]).toBe(14);
    const green = await rows(
      db,
      `SELECT count(*) AS n, sum(events) AS events FROM event_minutes WHERE grain = 'team' AND team_id = 'green'`,
    );
    expect(green.map((r) => [Number(r.n), Number(r.events)])).toEqual([[2, 2]]);
    expect(nonZero(await activity('?team=green'))).toEqual({ [iso(m7)]: 1, [iso(m5)]: 2 });
    await expectExactEventMinutes(db);
  });
});
