import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, JSON_HEADERS, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

type Json = Record<string, unknown>;

describeEachDialect('session operations API', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  let auth: Record<string, string> = {};
  const send = (method: 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = auth) =>
    t.app.inject({
      method,
      url,
      headers: body === undefined ? headers : { ...JSON_HEADERS, ...headers },
      ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  const get = (url: string, headers: Record<string, string> = auth) => t.app.inject({ url, headers });
  const session = async (id: string) => {
    const res = await get(`/sessions/${id}`);
    expect(res.statusCode).toBe(200);
    return res.json() as Json & { recent_events: Json[]; tool_uses: Json[] };
  };
  const problemFields = (res: { json(): unknown }) =>
    (res.json() as { error: { details: { problems: { field: string }[] } } }).error.details.problems.map((p) => p.field);

  it('creates a session with its metadata, as a session_started event of source api', async () => {
    const res = await send('POST', '/sessions', {
      session_id: 'op-create',
      project: 'billing',
      cwd: '/home/ana/src/billing',
      git_branch: 'fix/rounding',
      terminal: 'tmux',
      user: 'ana',
      host: 'laptop',
      model: 'claude-sonnet-4-5',
      permission_mode: 'default',
      started_at: '2026-11-20T09:00:00Z',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      session_id: 'op-create',
      source: 'api',
      project: 'billing',
      cwd: '/home/ana/src/billing',
      git_branch: 'fix/rounding',
      terminal: 'tmux',
      user: 'ana',
      host: 'laptop',
      team_id: null,
      model: 'claude-sonnet-4-5',
      permission_mode: 'default',
      status: 'active',
      started_at: '2026-11-20T09:00:00.000Z',
      last_activity_at: '2026-11-20T09:00:00.000Z',
      ended_at: null,
      end_reason: null,
      idle_since: null,
      events: 1,
      prompts: 0,
      tool_calls: 0,
      failures: 0,
      subagents: 0,
      permission_denials: 0,
      stop_failures: 0,
      error_kind: null,
      error_message: null,
      input_tokens: 0,
      output_tokens: 0,
      cache_read_tokens: 0,
      cache_creation_tokens: 0,
      cost_usd: 0,
      unpriced_tokens: 0,
      task_id: null,
    });
    const stored = await session('op-create');
    expect(stored.recent_events).toEqual([
      expect.objectContaining({
        event_type: 'session_started',
        source: 'api',
        user: 'ana',
        host: 'laptop',
        timestamp: '2026-11-20T09:00:00.000Z',
      }),
    ]);
  });

  it('answers 409 session_exists for a second create, also of a session hooks created, and keeps the row', async () => {
    const again = await send('POST', '/sessions', { session_id: 'op-create', project: 'other' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('session_exists');
    expect((await session('op-create')).project).toBe('billing');
    await send('POST', '/events', { session_id: 'op-hooked', event_type: 'prompt_submitted', source: 'claude-code' });
    expect((await send('POST', '/sessions', { session_id: 'op-hooked' })).statusCode).toBe(409);
    // Racing creates of one new session: exactly one wins.
    const racing = await Promise.all([1, 2, 3].map(() => send('POST', '/sessions', { session_id: 'op-race', source: 'sdk' })));
    expect(racing.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
    expect(await session('op-race')).toMatchObject({ source: 'sdk', events: 1 });
  });

  it('upserts: 201 when it creates, 200 when it updates only the fields given', async () => {
    const created = await send('PUT', '/sessions/op-upsert', { project: 'shop', model: 'm-1', source: 'sdk' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ session_id: 'op-upsert', project: 'shop', model: 'm-1', source: 'sdk', status: 'active' });
    const updated = await send('PUT', '/sessions/op-upsert', { model: 'm-2', git_branch: 'main' });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ project: 'shop', model: 'm-2', git_branch: 'main', source: 'sdk', events: 2 });
    const empty = await send('PUT', '/sessions/op-upsert', {});
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toMatchObject({ project: 'shop', model: 'm-2', events: 3 });
  });

  it('keeps an explicitly set project when an update names only the cwd', async () => {
    expect((await send('PUT', '/sessions/op-cwd', { project: 'explicit', cwd: '/work/first' })).statusCode).toBe(201);
    const moved = await send('PUT', '/sessions/op-cwd', { cwd: '/work/elsewhere' });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ project: 'explicit', cwd: '/work/elsewhere' });
    // Without a project of its own, the session still takes one from its cwd.
    expect((await send('PUT', '/sessions/op-cwd-only', { cwd: '/work/derived' })).json()).toMatchObject({ project: 'derived' });
  });

  it('sets idle, clears it with activity or idle=false, and ends with a reason', async () => {
    await send('POST', '/sessions', { session_id: 'op-life' });
    const idle = await send('POST', '/sessions/op-life/idle', { idle: true });
    expect(idle.statusCode).toBe(200);
    expect(idle.json()).toMatchObject({ status: 'idle' });
    expect(idle.json().idle_since).toBe(idle.json().last_activity_at);
    const touched = await send('POST', '/sessions/op-life/activity');
    expect(touched.statusCode).toBe(200);
    expect(touched.json()).toMatchObject({ status: 'active', idle_since: null });
    expect(Date.parse(touched.json().last_activity_at)).toBeGreaterThanOrEqual(Date.parse(idle.json().last_activity_at));
    expect((await send('POST', '/sessions/op-life/idle')).json()).toMatchObject({ status: 'idle' });
    expect((await send('POST', '/sessions/op-life/idle', { idle: false })).json()).toMatchObject({ status: 'active', idle_since: null });
    const ended = await send('POST', '/sessions/op-life/end', { reason: 'done' });
    expect(ended.statusCode).toBe(200);
    expect(ended.json()).toMatchObject({ status: 'ended', end_reason: 'done' });
    expect(ended.json().ended_at).toBe(ended.json().last_activity_at);
    const types = (await session('op-life')).recent_events.map((e) => e.event_type).reverse();
    expect(types).toEqual(['session_started', 'session_idle', 'session_activity', 'session_idle', 'session_idle', 'session_ended']);

    await send('POST', '/sessions', { session_id: 'op-end-default' });
    expect((await send('POST', '/sessions/op-end-default/end')).json()).toMatchObject({ status: 'ended', end_reason: 'api' });
  });

  it('answers 404 session_not_found for activity, idle and end of an unknown session, and stores nothing', async () => {
    for (const op of ['activity', 'idle', 'end']) {
      const res = await send('POST', `/sessions/op-none/${op}`, op === 'activity' ? undefined : {});
      expect(res.statusCode, op).toBe(404);
      expect(res.json().error.code).toBe('session_not_found');
    }
    expect((await get('/events?session_id=op-none')).json().items).toEqual([]);
    expect((await get('/sessions/op-none')).statusCode).toBe(404);
  });

  it('refuses bad input with a 400 naming the field, and stores nothing', async () => {
    const cases: [unknown, string][] = [
      [{}, 'body.session_id'],
      [{ session_id: { id: 1 } }, 'body.session_id'],
      [{ session_id: '' }, 'body.session_id'],
      [{ session_id: 'op-bad', cwd: 'x'.repeat(1001) }, 'body.cwd'],
      [{ session_id: 'op-bad', started_at: 'yesterday' }, 'body.started_at'],
      [{ session_id: 'op-bad', model: { name: 'a' } }, 'body.model'],
      // Well-formed, refused by the one event validator, and named as the client sent it.
      [{ session_id: 'op-bad', started_at: '1999-12-31T00:00:00Z' }, 'started_at'],
      [{ session_id: 'op-bad', project: 'a\u0000b' }, 'project'],
      [{ session_id: 'op-bad', cwd: 'a\u0000b' }, 'cwd'],
      [{ session_id: 'op\u0000bad' }, 'session_id'],
    ];
    for (const [body, field] of cases) {
      const res = await send('POST', '/sessions', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(problemFields(res), JSON.stringify(body)).toContain(field);
    }
    expect((await send('POST', '/sessions', '{"session_id": ')).json().error.code).toBe('invalid_json');
    expect((await get('/sessions/op-bad')).statusCode).toBe(404);

    await send('POST', '/sessions', { session_id: 'op-bad-2' });
    expect(problemFields(await send('POST', '/sessions/op-bad-2/idle', { idle: 'maybe' }))).toEqual(['body.idle']);
    expect(problemFields(await send('POST', '/sessions/op-bad-2/end', { reason: '' }))).toEqual(['body.reason']);
    expect(problemFields(await send('PUT', '/sessions/op-bad-2', { terminal: { id: 7 } }))).toEqual(['body.terminal']);
    expect(problemFields(await send('PUT', `/sessions/${'x'.repeat(256)}`, {}))).toEqual(['params.id']);
    expect((await send('PUT', `/sessions/${'x'.repeat(255)}`, {})).statusCode).toBe(201);
    expect((await get(`/sessions/${'x'.repeat(255)}`)).statusCode).toBe(200);
    for (const op of ['activity', 'end']) expect(problemFields(await send('POST', `/sessions/a%00b/${op}`, {}))).toEqual(['params.id']);
    expect(problemFields(await send('DELETE', '/sessions/a%00b'))).toEqual(['params.id']);
    expect((await session('op-bad-2')).events).toBe(1);
  });

  it('deletes a session with its tool uses, events and keys; an event sent again is stored again', async () => {
    const e = (type: string, s: number, data: Json = {}) => ({
      session_id: 'op-delete',
      event_id: `del-${type}-${s}`,
      event_type: type,
      timestamp: `2026-11-20T10:00:0${s}Z`,
      source: 'claude-code',
      data,
    });
    const events = [
      e('session_started', 1),
      e('tool_execution_started', 2, { tool_name: 'Bash', tool_use_id: 'tu-1', tool_input: { command: 'ls' } }),
      e('tool_execution_completed', 3, { tool_name: 'Bash', tool_use_id: 'tu-1' }),
    ];
    expect((await send('POST', '/events/batch', events)).statusCode).toBe(202);
    await send('POST', '/events', { session_id: 'op-keep', event_type: 'prompt_submitted' });
    expect((await session('op-delete')).tool_calls).toBe(1);

    const res = await send('DELETE', '/sessions/op-delete');
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect((await get('/sessions/op-delete')).statusCode).toBe(404);
    expect((await get('/events?session_id=op-delete')).json().items).toEqual([]);
    expect((await get('/tool-uses?session_id=op-delete')).json().items).toEqual([]);
    expect(await keysOf('op-delete')).toBe(0);
    expect((await session('op-keep')).events).toBe(1);

    const again = await send('DELETE', '/sessions/op-delete');
    expect(again.statusCode).toBe(404);
    expect(again.json().error.code).toBe('session_not_found');

    // Its idempotency keys went with it: the same event is new again.
    const resent = await send('POST', '/events', events[0]);
    expect(resent.json()).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(await session('op-delete')).toMatchObject({ events: 1, tool_calls: 0, source: 'claude-code' });
    expect(await keysOf('op-delete')).toBe(dialect === 'postgres' ? 1 : 0);
  });

  /** Idempotency keys of a session; PostgreSQL keeps them in event_keys, SQLite in the events table's index. */
  async function keysOf(sessionId: string): Promise<number> {
    const db = t.runtime.db!;
    if (db.kind === 'sqlite') return 0;
    const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM event_keys WHERE session_id = $1', [sessionId]);
    return rows[0]!.n;
  }

  // Last: once a token exists, every request needs one.
  it('a session-bound token writes only its own session, a team token only its team; others are 404, DELETE needs admin', async () => {
    const tokens = t.runtime.services.tokens;
    const admin = await tokens.create({ scopes: ['admin'] });
    const own = await tokens.create({ scopes: ['ingest', 'read'], sessionId: 'op-own' });
    const red = await tokens.create({ scopes: ['ingest', 'read'], teamId: 'red' });
    const reader = await tokens.create({ scopes: ['read'] });
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    auth = bearer(admin.token);
    await send('POST', '/sessions', { session_id: 'op-blue', team_id: 'blue' });

    auth = bearer(own.token);
    expect((await send('PUT', '/sessions/op-own', { project: 'mine' })).statusCode).toBe(201);
    expect((await send('POST', '/sessions/op-own/activity')).statusCode).toBe(200);
    for (const res of [
      await send('POST', '/sessions/op-blue/activity'),
      await send('POST', '/sessions/op-blue/idle', {}),
      await send('POST', '/sessions/op-blue/end', {}),
      await send('PUT', '/sessions/op-blue', { project: 'stolen' }),
      await send('PUT', '/sessions/op-elsewhere', {}),
      await send('POST', '/sessions', { session_id: 'op-elsewhere' }),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('session_not_found');
    }
    const forbidden = await send('DELETE', '/sessions/op-own');
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('insufficient_scope');

    auth = bearer(red.token);
    const mine = await send('POST', '/sessions', { session_id: 'op-red', team_id: 'blue' });
    expect(mine.statusCode).toBe(201);
    expect(mine.json().team_id).toBe('red');
    expect((await send('POST', '/sessions/op-red/end', { reason: 'done' })).json()).toMatchObject({ team_id: 'red', end_reason: 'done' });
    expect((await send('POST', '/sessions/op-blue/end', {})).statusCode).toBe(404);
    expect((await send('PUT', '/sessions/op-blue', { project: 'stolen' })).statusCode).toBe(404);

    auth = bearer(reader.token);
    expect((await send('POST', '/sessions/op-red/activity')).statusCode).toBe(403);

    auth = bearer(admin.token);
    expect(await session('op-blue')).toMatchObject({ team_id: 'blue', project: null, status: 'active', events: 1 });
    expect((await get('/sessions/op-elsewhere')).statusCode).toBe(404);
    expect((await send('DELETE', '/sessions/op-own')).statusCode).toBe(204);
  });
});
