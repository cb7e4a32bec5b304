import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, JSON_HEADERS, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

describeEachDialect('hook executions', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const send = async (method: 'POST' | 'PATCH' | 'GET', url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await t.app.inject({
      method,
      url,
      headers: { ...JSON_HEADERS, ...headers },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return { status: res.statusCode, body: res.json() };
  };
  const ok = async (method: 'POST' | 'PATCH' | 'GET', url: string, body?: unknown, status = method === 'POST' ? 201 : 200) => {
    const res = await send(method, url, body);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res.body;
  };
  const start = (over: Record<string, unknown> = {}) =>
    ok('POST', '/executions', {
      hook_id: 'status_change_hook_v1',
      hook_type: 'StatusChangeHook',
      team_id: 'engineering',
      event_type: 'jira:issue_updated',
      ...over,
    });

  it('records a run from RUNNING to its outcome, as the seed does, with the time it took', async () => {
    const created = await start({ ticket_key: 'ENG-123', metadata: { priority: 'high' }, started_at: '2026-11-01T10:00:00.000Z' });
    expect(created).toMatchObject({
      hook_id: 'status_change_hook_v1',
      hook_type: 'StatusChangeHook',
      team_id: 'engineering',
      event_type: 'jira:issue_updated',
      ticket_key: 'ENG-123',
      project_key: null,
      event_id: null,
      status: 'RUNNING',
      started_at: '2026-11-01T10:00:00.000Z',
      completed_at: null,
      execution_time_ms: null,
      notification_sent: false,
      notification_result: null,
      errors: [],
      metadata: { priority: 'high' },
    });
    expect(created.execution_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    const id = created.execution_id as string;

    const done = await ok('PATCH', `/executions/${id}`, {
      status: 'SUCCESS',
      completed_at: '2026-11-01T10:00:00.150Z',
      notification_sent: true,
      notification_result: { channel: '#eng-updates', message_id: 'msg_123' },
      metadata: { attempt: 1 },
    });
    expect(done).toMatchObject({
      status: 'SUCCESS',
      completed_at: '2026-11-01T10:00:00.150Z',
      execution_time_ms: 150,
      notification_sent: true,
      notification_result: { channel: '#eng-updates', message_id: 'msg_123' },
      metadata: { priority: 'high', attempt: 1 },
    });
    expect(await ok('GET', `/executions/${id}`)).toEqual(done);

    // Final is final: a different status is a conflict; the same one again is a retry.
    const changed = await send('PATCH', `/executions/${id}`, { status: 'FAILED' });
    expect(changed.status).toBe(409);
    expect(changed.body.error.code).toBe('execution_finished');
    expect(await ok('PATCH', `/executions/${id}`, { status: 'SUCCESS', execution_time_ms: 150.5 })).toMatchObject({
      status: 'SUCCESS',
      execution_time_ms: 150.5,
    });

    const timedOut = await start();
    expect(
      await ok('PATCH', `/executions/${timedOut.execution_id}`, { status: 'TIMEOUT', errors: ['no answer within 5000 ms'] }),
    ).toMatchObject({
      status: 'TIMEOUT',
      errors: ['no answer within 5000 ms'],
      completed_at: expect.any(String),
      execution_time_ms: expect.any(Number),
    });
  });

  it('lists newest first with filters and a cursor that visits each execution once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const e = await start({
        hook_id: 'pager',
        team_id: i % 2 ? 'red' : 'blue',
        started_at: Date.parse('2026-10-01T00:00:00Z') + i * 60_000,
      });
      ids.push(e.execution_id);
      if (i % 3 === 0) await ok('PATCH', `/executions/${e.execution_id}`, { status: 'FAILED', errors: [{ message: 'boom' }] });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { execution_id: string }[]; next_cursor: string | null } = await ok(
        'GET',
        `/executions?hook_id=pager&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((e) => e.execution_id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    expect((await ok('GET', '/executions?hook_id=pager&status=FAILED')).items.map((e: { execution_id: string }) => e.execution_id)).toEqual(
      [ids[6], ids[3], ids[0]],
    );
    expect((await ok('GET', '/executions?hook_id=pager&team_id=red')).items).toHaveLength(3);
    const window = await ok('GET', '/executions?hook_id=pager&from=2026-10-01T00:02:00Z&to=2026-10-01T00:04:00Z');
    expect(window.items.map((e: { execution_id: string }) => e.execution_id)).toEqual([ids[3], ids[2]]);
  });

  it('refuses bad input with a 4xx naming the field, storing nothing', async () => {
    const before = (await ok('GET', '/executions?limit=1000')).items.length;
    const refused = async (method: 'POST' | 'PATCH' | 'GET', url: string, body: unknown, status: number, field: RegExp) => {
      const res = await send(method, url, body);
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(JSON.stringify(res.body.error)).toMatch(field);
    };
    await refused('POST', '/executions', { hook_type: 'T', team_id: 'x', event_type: 'e' }, 400, /hook_id/);
    await refused('POST', '/executions', { hook_id: 'h', hook_type: 'T', event_type: 'e' }, 400, /team_id/);
    await refused(
      'POST',
      '/executions',
      { hook_id: 'h', hook_type: 'T', team_id: 'x', event_type: 'e', started_at: 'yesterday' },
      400,
      /started_at/,
    );
    await refused(
      'POST',
      '/executions',
      { hook_id: 'h', hook_type: 'T', team_id: 'x', event_type: 'e', started_at: 9e15 },
      400,
      /started_at/,
    );
    await refused(
      'POST',
      '/executions',
      { hook_id: 'h', hook_type: 'T', team_id: 'x', event_type: 'e', metadata: { a: 'nul\u0000' } },
      400,
      /metadata/,
    );
    await refused(
      'POST',
      '/executions',
      { hook_id: 'h', hook_type: 'T', team_id: 'x', event_type: 'e', metadata: { big: 'x'.repeat(70_000) } },
      413,
      /metadata/,
    );
    expect((await ok('GET', '/executions?limit=1000')).items.length).toBe(before);

    const id = (await start()).execution_id as string;
    await refused('PATCH', `/executions/${id}`, { status: 'DONE' }, 400, /status/);
    await refused('PATCH', `/executions/${id}`, {}, 400, /body|properties/);
    await refused('PATCH', `/executions/${id}`, { execution_time_ms: -1 }, 400, /execution_time_ms/);
    await refused('PATCH', `/executions/${id}`, { completed_at: '2000-01-01T00:00:00Z' }, 400, /completed_at/);
    await refused('PATCH', '/executions/nope', { status: 'SUCCESS' }, 404, /execution_not_found/);
    await refused('GET', '/executions/nope', undefined, 404, /execution_not_found/);
    await refused('GET', '/executions?from=2026-02-01&to=2026-01-01', undefined, 400, /from/);
    await refused('GET', '/executions?status=OK', undefined, 400, /status/);
    await refused('GET', '/executions?cursor=bm9wZQ', undefined, 400, /cursor/);
    expect((await ok('GET', `/executions/${id}`)).status).toBe('RUNNING');
  });
  // Last: once a token exists, every request needs one.
  it('keeps a team-bound token to its own team', async () => {
    const { token } = await t.runtime.services.tokens.create({ scopes: ['ingest', 'read'], teamId: 'red' });
    const auth = { authorization: `Bearer ${token}` };
    const mine = await send('POST', '/executions', { hook_id: 'h', hook_type: 'T', event_type: 'e' }, auth);
    expect(mine.status).toBe(201);
    expect(mine.body.team_id).toBe('red');
    expect((await send('POST', '/executions', { hook_id: 'h', hook_type: 'T', event_type: 'e', team_id: 'blue' }, auth)).status).toBe(403);
    const { token: admin } = await t.runtime.services.tokens.create({ scopes: ['admin'] });
    const theirs = (
      await send(
        'POST',
        '/executions',
        { hook_id: 'h', hook_type: 'T', event_type: 'e', team_id: 'blue' },
        { authorization: `Bearer ${admin}` },
      )
    ).body;
    expect((await send('GET', `/executions/${theirs.execution_id}`, undefined, auth)).status).toBe(404);
    expect((await send('PATCH', `/executions/${theirs.execution_id}`, { status: 'CANCELLED' }, auth)).status).toBe(404);
    const listed = await send('GET', '/executions?limit=1000', undefined, auth);
    expect(new Set(listed.body.items.map((e: { team_id: string }) => e.team_id))).toEqual(new Set(['red']));
    expect((await send('GET', '/executions?team_id=blue', undefined, auth)).body.items).toEqual([]);
  });
});
