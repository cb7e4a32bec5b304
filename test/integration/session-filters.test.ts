import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ReadScope } from '../../src/core/read-scope.ts';
import { POSTGRES_DIALECT, SQLITE_DIALECT } from '../../src/db/sql-dialect.ts';
import { sessionCountsQuery, sessionListQuery } from '../../src/modules/sessions/session-queries.ts';
import type { SessionFilter } from '../../src/modules/sessions/session.ts';
import { createTestApp, JSON_HEADERS, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

const T0 = Date.UTC(2026, 10, 3, 10);
const MINUTE = 60_000;

describeEachDialect('session list filters', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    // session, start (minutes after T0), last activity, branch, model, failed calls, team
    const sessions: [string, number, number, string, string, number, string][] = [
      ['f-1', 0, 100, 'main', 'opus', 0, 'red'],
      ['f-2', 10, 90, 'main', 'sonnet', 1, 'red'],
      ['f-3', 20, 80, 'feature/x', 'opus', 2, 'blue'],
      ['f-4', 30, 70, 'main', 'opus', 0, 'red'],
      ['f-5', 40, 60, 'feature/x', 'sonnet', 1, 'red'],
      ['f-6', 50, 55, 'main', 'opus', 1, 'blue'],
    ];
    const events = sessions.flatMap(([sid, start, last, branch, model, failed, team]) => {
      const e = (type: string, minute: number, data: Record<string, unknown>, n: number) => ({
        session_id: sid,
        event_id: `${sid}-${n}`,
        event_type: type,
        source: 'claude-code',
        team_id: team,
        timestamp: T0 + minute * MINUTE,
        data,
      });
      const calls = Array.from({ length: failed }, (_, i) =>
        e('tool_execution_failed', start + 1, { tool_use_id: `${sid}-call-${i}`, tool_name: 'Bash', error: 'exit 1' }, 10 + i),
      );
      return [
        e('session_started', start, { model, _hookd: { git_branch: branch } }, 0),
        e('tool_execution_completed', start + 1, { tool_use_id: `${sid}-ok`, tool_name: 'Read' }, 1),
        ...calls,
        e('prompt_submitted', last, {}, 2),
      ];
    });
    const res = await t.app.inject({ method: 'POST', url: '/events/batch', headers: JSON_HEADERS, payload: JSON.stringify(events) });
    expect(res.statusCode).toBe(202);
  });
  afterAll(async () => t?.close());

  async function list(query: string): Promise<{ items: Record<string, unknown>[]; next_cursor: string | null }> {
    const res = await t.app.inject({ url: `/sessions?${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }
  const ids = async (query: string) => (await list(query)).items.map((s) => s.session_id);
  const iso = (minute: number) => new Date(T0 + minute * MINUTE).toISOString();

  it('filters by git branch, model, failed tool calls and start time, newest activity first', async () => {
    expect(await ids('')).toEqual(['f-1', 'f-2', 'f-3', 'f-4', 'f-5', 'f-6']);
    expect(await ids('git_branch=main')).toEqual(['f-1', 'f-2', 'f-4', 'f-6']);
    expect(await ids('git_branch=feature%2Fx')).toEqual(['f-3', 'f-5']);
    expect(await ids('model=sonnet')).toEqual(['f-2', 'f-5']);
    expect(await ids('has_failures=true')).toEqual(['f-2', 'f-3', 'f-5', 'f-6']);
    expect(await ids('has_failures=false')).toEqual(['f-1', 'f-4']);
    // Start time, not activity: `from` inclusive, `to` exclusive, ISO-8601 or epoch ms.
    expect(await ids(`from=${iso(20)}`)).toEqual(['f-3', 'f-4', 'f-5', 'f-6']);
    expect(await ids(`from=${T0 + 20 * MINUTE}&to=${T0 + 40 * MINUTE}`)).toEqual(['f-3', 'f-4']);
    expect(await ids(`to=${iso(10)}`)).toEqual(['f-1']);
    expect(await ids(`from=${iso(50)}&to=${iso(50)}`)).toEqual([]);
    // With each other and with the filters there were.
    expect(await ids('git_branch=main&model=opus&has_failures=false')).toEqual(['f-1', 'f-4']);
    expect(await ids(`git_branch=main&has_failures=true&from=${iso(10)}`)).toEqual(['f-2', 'f-6']);
    expect(await ids('status=open&source=claude-code&model=opus&project=nope')).toEqual([]);
    expect(await ids('git_branch=nope')).toEqual([]);
    const f2 = (await list('model=sonnet&has_failures=true')).items[0]!;
    expect(f2).toMatchObject({ session_id: 'f-2', git_branch: 'main', model: 'sonnet', failures: 1, started_at: iso(10) });
  });

  it('pages a filtered list with its cursor, without repeating or skipping', async () => {
    for (const filter of ['git_branch=main', 'has_failures=true', `from=${iso(10)}`, 'model=opus&has_failures=false']) {
      const all = await ids(filter);
      const seen: unknown[] = [];
      let cursor: string | null = null;
      do {
        const page = await list(`${filter}&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.items.length).toBeLessThanOrEqual(1);
        seen.push(...page.items.map((s) => s.session_id));
        cursor = page.next_cursor;
      } while (cursor);
      expect(seen, filter).toEqual(all);
    }
  });

  it('narrows to a bound token team and session', async () => {
    const token = async (teamId: string, sessionId: string | null = null) =>
      (await t.runtime.services.tokens.create({ scopes: ['read'], teamId, sessionId })).token;
    const as = async (query: string, bearer: string) => {
      const res = await t.app.inject({ url: `/sessions?${query}`, headers: { authorization: `Bearer ${bearer}` } });
      expect(res.statusCode).toBe(200);
      return res.json().items.map((s: { session_id: string }) => s.session_id);
    };
    const red = await token('red');
    expect(await as('has_failures=true', red)).toEqual(['f-2', 'f-5']);
    expect(await as('git_branch=feature%2Fx', red)).toEqual(['f-5']);
    expect(await as('git_branch=main&model=opus', await token('blue', 'f-6'))).toEqual(['f-6']);
    expect(await as('has_failures=false', await token('blue', 'f-6'))).toEqual([]);
  });

  it('refuses bad filters with a 400 naming the field', async () => {
    const admin = (await t.runtime.services.tokens.create({ scopes: ['admin'] })).token;
    for (const [query, field] of [
      ['has_failures=yes', 'querystring.has_failures'],
      ['has_failures=1', 'querystring.has_failures'],
      ['git_branch=', 'querystring.git_branch'],
      [`git_branch=${'b'.repeat(256)}`, 'querystring.git_branch'],
      ['model=', 'querystring.model'],
      ['model=a%00b', 'querystring.model'],
      ['from=yesterday', 'from'],
      ['to=99999999999999999999', 'to'],
      [`from=${iso(20)}&to=${iso(10)}`, 'from'],
    ]) {
      const res = await t.app.inject({ url: `/sessions?${query}`, headers: { authorization: `Bearer ${admin}` } });
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.details.problems[0].field, query).toBe(field);
    }
  });

  /** The plan of a query on this storage, as one text. */
  async function plan(build: (d: typeof SQLITE_DIALECT) => { text: string; values: unknown[] }): Promise<string> {
    const db = t.runtime.db!;
    if (db.kind === 'sqlite') {
      const q = build(SQLITE_DIALECT);
      return (db.sqlite.prepare(`EXPLAIN QUERY PLAN ${q.text}`).all(...q.values) as { detail: string }[]).map((r) => r.detail).join('\n');
    }
    const q = build(POSTGRES_DIALECT);
    const { rows } = await db.pool.query(`EXPLAIN ${POSTGRES_DIALECT.placeholders(q.text)}`, q.values);
    return rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
  }

  /**
   * Sessions enough for the planners to choose as for a real store, and their statistics:
   * one a minute back from T0, one in ten open, 20 branches, 5 models, 10 teams, one in
   * seven with a failed call. Last in this file: the lists above see none of them.
   */
  async function bulk(n: number): Promise<void> {
    const db = t.runtime.db!;
    const columns = `session_id, source, project, git_branch, model, team_id, started_at, last_activity_at, ended_at, end_reason,
                     tools_failed, created_at, updated_at`;
    if (db.kind === 'sqlite') {
      db.sqlite.exec(`
        INSERT INTO sessions (${columns})
        WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i WHERE n < ${n})
        SELECT 'bulk-' || n, 'claude-code', 'p' || (n % 50), 'b' || (n % 20), 'm' || (n % 5), 't' || (n % 10),
               ${T0} - n * ${MINUTE}, ${T0} - n * ${MINUTE} + 30000,
               CASE WHEN n % 10 <> 0 THEN ${T0} - n * ${MINUTE} + 30000 END, CASE WHEN n % 10 <> 0 THEN 'logout' END,
               CASE WHEN n % 7 = 0 THEN 1 ELSE 0 END, 0, 0
          FROM i;
        ANALYZE;`);
      return;
    }
    const at = (ms: string) => `to_timestamp((${ms}) / 1000.0)`;
    await db.pool.query(`
      INSERT INTO sessions (${columns})
      SELECT 'bulk-' || n, 'claude-code', 'p' || (n % 50), 'b' || (n % 20), 'm' || (n % 5), 't' || (n % 10),
             ${at(`${T0}::int8 - n * ${MINUTE}`)}, ${at(`${T0}::int8 - n * ${MINUTE} + 30000`)},
             CASE WHEN n % 10 <> 0 THEN ${at(`${T0}::int8 - n * ${MINUTE} + 30000`)} END, CASE WHEN n % 10 <> 0 THEN 'logout' END,
             CASE WHEN n % 7 = 0 THEN 1 ELSE 0 END, now(), now()
        FROM generate_series(1, ${n}) AS n`);
    await db.pool.query('ANALYZE sessions');
  }

  // What stays cheap however many sessions are stored: the page is read in order from an
  // index and the walk stops when it is full; nothing sorts every matching session.
  it('walks an index in page order for the common filters, and counts open and ended sessions from indexes', async () => {
    await bulk(20_000);
    const page =
      (filter: Partial<SessionFilter>, scope: ReadScope = {}) =>
      (d: typeof SQLITE_DIALECT) =>
        sessionListQuery(d, { limit: 50, ...filter }, scope);
    const ACTIVITY = 'sessions_last_activity_idx';
    // A range of start times may instead be read through sessions_started_idx and sorted,
    // and open sessions through theirs: what is sorted then is the sessions started in the
    // range, or the open ones (which the stale sweep keeps few), never all of them.
    const RANGE = 'sessions_last_activity_idx|sessions_started_idx';
    const BOUNDED = /sessions_started_idx|sessions_open_idx/;
    const cases: [Partial<SessionFilter>, ReadScope, string][] = [
      [{}, {}, ACTIVITY],
      [{ status: 'open' }, {}, 'sessions_open_idx'],
      [{ status: 'active', model: 'm1' }, { teamId: 't1' }, 'sessions_open_idx'],
      [{ project: 'p1' }, {}, 'sessions_project_idx'],
      [{ from: T0 - 60 * MINUTE }, {}, RANGE],
      [{ from: T0 - 600 * MINUTE, to: T0 - 60 * MINUTE, gitBranch: 'b1' }, {}, RANGE],
      [{ gitBranch: 'b1' }, {}, ACTIVITY],
      [{ model: 'm1', hasFailures: true }, {}, ACTIVITY],
      [{ hasFailures: true }, { teamId: 't1' }, ACTIVITY],
      [{ hasFailures: true, after: { lastActivityAt: T0 - 100 * MINUTE, sessionId: 'bulk-100' } }, {}, ACTIVITY],
    ];
    for (const [filter, scope, index] of cases) {
      const text = await plan(page(filter, scope));
      const what = `${JSON.stringify(filter)} ${JSON.stringify(scope)}:\n${text}`;
      const bounded = BOUNDED.test(text);
      if (dialect === 'sqlite') {
        expect(text, what).toMatch(new RegExp(`USING INDEX (${index})\\b`));
        // The session id breaks ties of activity only: sorted within one activity time at most.
        if (!bounded) expect(text, what).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
      } else {
        const scan = bounded ? '(Index Scan (Backward )?using|Bitmap Index Scan on)' : 'Index Scan Backward using';
        expect(text, what).toMatch(new RegExp(`${scan} (${index})\\b`));
        if (!bounded) expect(text, what).not.toMatch(/^\s*(->\s*)?Sort\s+\(/m);
      }
    }
    const counts = await plan((d) => sessionCountsQuery(d, T0 - 60 * MINUTE, { teamId: 't1' }));
    expect(counts).toMatch(/sessions_open_idx/);
    expect(counts).toMatch(/sessions_ended_idx/);
    expect(counts).not.toMatch(dialect === 'sqlite' ? /SCAN sessions\b(?! USING)/ : /Seq Scan/);
  });
});
