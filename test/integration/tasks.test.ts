import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, JSON_HEADERS, recordingLog, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

/** Tasks (issue 27, part 1): their statuses, filters, relationships, cycles and graph, on both storages. */
describeEachDialect('tasks', (dialect) => {
  let t: TestApp;
  const log = recordingLog();
  beforeAll(async () => {
    t = await createTestApp(dialect, {}, { log });
  });
  afterAll(async () => t?.close());

  const send = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, bearer?: string) => {
    const res = await t.app.inject({
      method,
      url,
      headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...(body === undefined ? {} : JSON_HEADERS) },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return { status: res.statusCode, body: res.body ? res.json() : null, text: res.body };
  };
  const create = async (body: Record<string, unknown>, bearer?: string) => {
    const res = await send('POST', '/tasks', body, bearer);
    expect(res.status, res.text).toBe(201);
    return res.body;
  };
  const link = (from: string, to: string, kind: string, strength?: number) =>
    send('POST', `/tasks/${encodeURIComponent(from)}/relationships`, {
      to_task_id: to,
      kind,
      ...(strength === undefined ? {} : { strength }),
    });
  const audits = () => log.lines.filter((l) => l.message === 'audit').map((l) => l.fields.audit as { action: string; target: string });

  it('creates tasks with the id given or a UUIDv7, with defaults, and answers 409 for an id that exists', async () => {
    const given = await create({
      task_id: 'ENG-123',
      title: 'Fix the login',
      requirements: ['keeps sessions'],
      acceptance_criteria: ['tests pass'],
      metadata: { repo: 'acme/web' },
      assignee: 'ana',
    });
    expect(given).toMatchObject({
      task_id: 'ENG-123',
      team_id: null,
      status: 'queued',
      conclusion: null,
      priority: 5,
      requirements: ['keeps sessions'],
      acceptance_criteria: ['tests pass'],
      metadata: { repo: 'acme/web' },
      started_at: null,
      completed_at: null,
    });
    const generated = await create({ title: 'No id' });
    expect(generated.task_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect((await send('GET', '/tasks/ENG-123')).body).toEqual(given);
    const again = await send('POST', '/tasks', { task_id: 'ENG-123', title: 'again' });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'task_exists' } } });
    expect((await send('GET', '/tasks/nope')).body.error.code).toBe('task_not_found');
    expect(audits()).toContainEqual(expect.objectContaining({ action: 'task.create', target: 'ENG-123' }));

    const bad: [Record<string, unknown>, string][] = [
      [{ title: 'x', priority: 11 }, 'priority'],
      [{ title: 'x', status: 'pending' }, 'status'],
      [{ title: 'x', status: 'completed' }, 'conclusion'],
      [{ title: 'x', conclusion: 'success' }, 'conclusion'],
    ];
    for (const [body, field] of bad) {
      const res = await send('POST', '/tasks', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.details.problems[0].field).toBe(field);
    }
    const big = await send('POST', '/tasks', { title: 'big', metadata: { blob: 'x'.repeat(70_000) } });
    expect(big).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large', details: { field: 'metadata' } } } });
  });

  it('lists with filters and cursor pages', async () => {
    const base = Date.now();
    for (let i = 0; i < 7; i++)
      await create({
        task_id: `list-${i}`,
        title: i % 2 ? `Odd 50%_done ${i}` : `Even ${i}`,
        description: i === 4 ? 'mentions The Needle' : null,
        priority: i,
        assignee: i < 3 ? 'bo' : 'cy',
        parent_task_id: i > 4 ? 'list-0' : null,
        ...(i === 6 ? { status: 'in_progress' } : {}),
      });
    const ids = async (query: string) => (await send('GET', `/tasks?${query}`)).body.items.map((x: { task_id: string }) => x.task_id);
    expect(await ids('assignee=bo')).toEqual(['list-2', 'list-1', 'list-0']);
    expect(await ids('assignee=cy&min_priority=5')).toEqual(['list-6', 'list-5']);
    expect(await ids('status=in_progress')).toEqual(['list-6']);
    expect((await ids('status=queued,in_progress&assignee=cy')).length).toBe(4);
    expect(await ids('parent=list-0')).toEqual(['list-6', 'list-5']);
    expect(await ids('q=needle')).toEqual(['list-4']);
    expect(await ids('q=50%25_')).toEqual(['list-5', 'list-3', 'list-1']);
    // % and _ are taken literally: as wildcards each of these would match.
    expect(await ids('q=50_')).toEqual([]);
    expect(await ids('q=n%25e')).toEqual([]);
    expect(await ids(`from=${new Date(base - 60_000).toISOString()}&assignee=cy`)).toHaveLength(4);
    expect(await ids(`to=${new Date(base - 60_000).toISOString()}`)).toEqual([]);
    expect((await send('GET', '/tasks?status=pending')).status).toBe(400);

    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 20; page++) {
      const res: { body: { items: { task_id: string }[]; next_cursor: string | null } } = await send(
        'GET',
        `/tasks?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...res.body.items.map((x) => x.task_id));
      cursor = res.body.next_cursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(await ids('limit=500'));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => id.startsWith('list-'))).toEqual(['list-6', 'list-5', 'list-4', 'list-3', 'list-2', 'list-1', 'list-0']);
    expect((await send('GET', '/tasks?cursor=forged')).status).toBe(400);
  });

  it('moves through the transitions and answers 409 invalid_transition naming from and to', async () => {
    await create({ task_id: 'run-1', title: 'run' });
    const started = await send('PATCH', '/tasks/run-1', { status: 'in_progress', priority: 9 });
    expect(started.status, started.text).toBe(200);
    expect(started.body).toMatchObject({ status: 'in_progress', priority: 9, completed_at: null });
    expect(started.body.started_at).not.toBeNull();
    const back = await send('PATCH', '/tasks/run-1', { status: 'queued' });
    expect(back).toMatchObject({
      status: 409,
      body: { error: { code: 'invalid_transition', details: { from: 'in_progress', to: 'queued' } } },
    });
    expect((await send('PATCH', '/tasks/run-1', { status: 'completed' })).body.error.details.problems[0].field).toBe('conclusion');
    const done = await send('PATCH', '/tasks/run-1', { status: 'completed', conclusion: 'success' });
    expect(done.body).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(done.body.completed_at).not.toBeNull();
    const again = await send('PATCH', '/tasks/run-1', { status: 'in_progress' });
    expect(again).toMatchObject({
      status: 409,
      body: { error: { code: 'invalid_transition', details: { from: 'completed/success', to: 'in_progress' } } },
    });
    expect((await send('PATCH', '/tasks/run-1', { conclusion: 'failure' })).status).toBe(409);
    // Other fields of a completed task still change.
    expect((await send('PATCH', '/tasks/run-1', { title: 'renamed' })).body).toMatchObject({ title: 'renamed', conclusion: 'success' });

    await create({ task_id: 'run-2', title: 'never ran' });
    expect((await send('PATCH', '/tasks/run-2', { status: 'completed', conclusion: 'success' })).body).toMatchObject({
      error: { code: 'invalid_transition', details: { from: 'queued', to: 'completed/success' } },
    });
    const skipped = await send('PATCH', '/tasks/run-2', { status: 'completed', conclusion: 'skipped' });
    expect(skipped.body).toMatchObject({ status: 'completed', conclusion: 'skipped', started_at: null });
    expect((await send('PATCH', '/tasks/missing', { title: 'x' })).status).toBe(404);
    expect(audits()).toContainEqual(expect.objectContaining({ action: 'task.update', target: 'run-2' }));
  });

  it('relates tasks: 404 for a missing end, 400 for strength, 409 with the path for a cycle or a self-edge', async () => {
    for (const id of ['a', 'b', 'c', 'd']) await create({ task_id: `rel-${id}`, title: id });
    expect((await link('rel-a', 'rel-b', 'blocks', 0.5)).body).toMatchObject({ from_task_id: 'rel-a', to_task_id: 'rel-b', strength: 0.5 });
    expect((await link('rel-b', 'rel-c', 'blocks')).status).toBe(201);
    expect((await link('rel-a', 'rel-b', 'blocks')).body.error.code).toBe('relationship_exists');
    expect((await link('rel-a', 'rel-zz', 'blocks')).body).toMatchObject({
      error: { code: 'task_not_found', details: { field: 'to_task_id' } },
    });
    expect((await link('rel-zz', 'rel-a', 'blocks')).status).toBe(404);
    for (const strength of [1.5, -0.1]) {
      const res = await link('rel-a', 'rel-d', 'related', strength);
      expect(res.status).toBe(400);
      expect(res.body.error.details.problems[0].field).toBe('strength');
    }
    expect((await link('rel-a', 'rel-d', 'friends')).body.error.details.problems[0].field).toBe('kind');

    const cycle = await link('rel-c', 'rel-a', 'blocks');
    expect(cycle).toMatchObject({
      status: 409,
      body: { error: { code: 'relationship_cycle', details: { path: ['rel-c', 'rel-a', 'rel-b', 'rel-c'] } } },
    });
    // a depends_on edge says the same in the other sense: a depends on c closes it too.
    const reverse = await link('rel-a', 'rel-c', 'depends_on');
    expect(reverse).toMatchObject({
      status: 409,
      body: { error: { code: 'relationship_cycle', details: { path: ['rel-a', 'rel-c', 'rel-b', 'rel-a'] } } },
    });
    const self = await link('rel-d', 'rel-d', 'parent_of');
    expect(self).toMatchObject({ status: 409, body: { error: { code: 'relationship_cycle', details: { path: ['rel-d', 'rel-d'] } } } });
    // related and duplicates may go round.
    expect((await link('rel-c', 'rel-a', 'related')).status).toBe(201);

    const listed = await send('GET', '/tasks/rel-b/relationships');
    expect(listed.body.items.map((r: { from_task_id: string; kind: string }) => `${r.from_task_id}:${r.kind}`)).toEqual([
      'rel-a:blocks',
      'rel-b:blocks',
    ]);
    expect((await send('DELETE', '/tasks/rel-b/relationships/rel-c/blocks')).status).toBe(204);
    expect((await send('DELETE', '/tasks/rel-b/relationships/rel-c/blocks')).body.error.code).toBe('relationship_not_found');
    expect((await link('rel-c', 'rel-a', 'blocks')).status).toBe(201);
    expect(audits()).toContainEqual(expect.objectContaining({ action: 'task.unlink', target: 'rel-b:blocks:rel-c' }));
  });

  it('lets only one of two racing edges close a cycle', async () => {
    for (let round = 0; round < 5; round++) {
      const [x, y] = [`race-${round}-x`, `race-${round}-y`];
      await create({ task_id: x, title: 'x' });
      await create({ task_id: y, title: 'y' });
      const results = await Promise.all([link(x, y, 'blocks'), link(y, x, 'blocks')]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      const edges = (await send('GET', `/tasks/${x}/relationships`)).body.items;
      expect(edges).toHaveLength(1);
    }
  });

  it('draws the dependency graph to a depth', async () => {
    // g0 blocks g1 blocks g2 blocks g3; g4 depends on g0; g5 is only related.
    for (let i = 0; i < 6; i++) await create({ task_id: `g${i}`, title: `g${i}` });
    for (const [from, to, kind] of [
      ['g0', 'g1', 'blocks'],
      ['g1', 'g2', 'blocks'],
      ['g2', 'g3', 'blocks'],
      ['g4', 'g0', 'depends_on'],
      ['g0', 'g5', 'related'],
    ])
      expect((await link(from as string, to as string, kind as string)).status).toBe(201);
    const graph = async (id: string, depth?: number) =>
      (await send('GET', `/tasks/${id}/graph${depth === undefined ? '' : `?depth=${depth}`}`)).body;
    const one = await graph('g1', 1);
    expect(one.nodes.map((n: { task_id: string; depth: number }) => [n.task_id, n.depth])).toEqual([
      ['g1', 0],
      ['g0', 1],
      ['g2', 1],
    ]);
    expect(one.edges.map((e: { from_task_id: string; to_task_id: string }) => `${e.from_task_id}>${e.to_task_id}`)).toEqual([
      'g0>g1',
      'g1>g2',
    ]);
    const deep = await graph('g1');
    expect(deep.depth).toBe(3);
    expect(deep.nodes.map((n: { task_id: string }) => n.task_id).sort()).toEqual(['g0', 'g1', 'g2', 'g3', 'g4']);
    expect(deep.edges).toHaveLength(4);
    expect((await send('GET', '/tasks/g1/graph?depth=11')).status).toBe(400);
    expect((await send('GET', '/tasks/nope/graph')).status).toBe(404);
  });

  it("keeps a team-bound token to its team's tasks", async () => {
    const tokens = t.runtime.services.tokens;
    const root = (await tokens.create({ scopes: ['admin', 'ingest', 'read'], teamId: null, sessionId: null })).token;
    const ours = (await tokens.create({ scopes: ['ingest', 'read'], teamId: 'ours', sessionId: null })).token;
    const theirs = (await tokens.create({ scopes: ['ingest', 'read'], teamId: 'theirs', sessionId: null })).token;
    const reader = (await tokens.create({ scopes: ['read'], teamId: 'ours', sessionId: null })).token;
    expect((await send('POST', '/tasks', { task_id: 'team-1', title: 'ours' }, ours)).body.team_id).toBe('ours');
    expect((await send('POST', '/tasks', { task_id: 'team-2', title: 'theirs' }, theirs)).body.team_id).toBe('theirs');
    expect((await send('POST', '/tasks', { title: 'steal', team_id: 'theirs' }, ours)).status).toBe(400);
    expect((await send('POST', '/tasks', { title: 'read only' }, reader)).status).toBe(403);

    expect((await send('GET', '/tasks/team-2', undefined, ours)).status).toBe(404);
    expect((await send('PATCH', '/tasks/team-2', { title: 'mine now' }, ours)).status).toBe(404);
    expect((await send('GET', '/tasks/team-2/graph', undefined, ours)).status).toBe(404);
    expect((await send('GET', '/tasks/team-2/relationships', undefined, ours)).status).toBe(404);
    expect((await send('POST', '/tasks/team-1/relationships', { to_task_id: 'team-2', kind: 'blocks' }, ours)).status).toBe(404);
    expect((await send('POST', '/tasks', { title: 'child', parent_task_id: 'team-2' }, ours)).status).toBe(404);
    const listed = (await send('GET', '/tasks?limit=500', undefined, ours)).body.items.map((x: { task_id: string }) => x.task_id);
    expect(listed).toEqual(['team-1']);
    expect((await send('GET', '/tasks/team-2', undefined, root)).body.team_id).toBe('theirs');
    // An unbound token relates tasks across teams; neither team sees the other's end.
    expect((await send('POST', '/tasks/team-1/relationships', { to_task_id: 'team-2', kind: 'related' }, root)).status).toBe(201);
    expect((await send('GET', '/tasks/team-1/relationships', undefined, ours)).body.items).toEqual([]);
    // Nor does its graph walk through the other team's task to one of its own.
    expect((await send('POST', '/tasks', { task_id: 'team-3', title: 'ours too' }, ours)).status).toBe(201);
    expect((await send('POST', '/tasks/team-1/relationships', { to_task_id: 'team-2', kind: 'blocks' }, root)).status).toBe(201);
    expect((await send('POST', '/tasks/team-2/relationships', { to_task_id: 'team-3', kind: 'blocks' }, root)).status).toBe(201);
    const walked = (await send('GET', '/tasks/team-1/graph', undefined, ours)).body;
    expect(walked).toMatchObject({ nodes: [{ task_id: 'team-1', depth: 0 }], edges: [] });
    const all = (await send('GET', '/tasks/team-1/graph', undefined, root)).body;
    expect(all.nodes.map((n: { task_id: string }) => n.task_id)).toEqual(['team-1', 'team-2', 'team-3']);
    // The cycle check sees every team's edges (they are a real order), but the path hides the other team's task.
    expect((await send('POST', '/tasks/team-3/relationships', { to_task_id: 'team-1', kind: 'blocks' }, ours)).body).toMatchObject({
      error: { code: 'relationship_cycle', details: { path: ['team-3', 'team-1', "(another team's task)", 'team-3'] } },
    });
  });
});
