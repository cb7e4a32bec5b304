import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectExactEventMinutes, expectExactSessionRollups } from '../support/analytics-tables.ts';
import { createTestApp, JSON_HEADERS, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/claude-code/session-fix-rounding.jsonl', import.meta.url));
const FIXTURE_SESSION = '7f3c2a9e-1b4d-4c8e-9a51-2d6f0e8b1c34';

type Row = Record<string, unknown>;

describeEachDialect('rebuild of sessions and tool uses', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const post = (method: 'POST' | 'PUT', url: string, body: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method, url, headers: { ...JSON_HEADERS, ...headers }, payload: JSON.stringify(body) });
  const maintenance = () => t.runtime.services.sessionMaintenance;

  async function query(sql: string): Promise<Row[]> {
    const db = t.runtime.db!;
    if (db.kind === 'sqlite') {
      // Reads return rows; anything else is run for its effect.
      if (/^\s*(SELECT|WITH)\b/i.test(sql)) return db.sqlite.prepare(sql).all() as Row[];
      db.sqlite.prepare(sql).run();
      return [];
    }
    return (await db.pool.query(sql)).rows as Row[];
  }
  /**
   * Every derived row as stored, once what is committed is derived; tool_uses without their
   * surrogate id, by call id (a pass writes a batch's calls in lock order, a rebuild in
   * first-seen order, so the surrogate ids may differ while the rows agree).
   */
  async function derivedRows(): Promise<{ sessions: Row[]; toolUses: Row[] }> {
    await t.runtime.services.stores.deriver.catchUp();
    const sessions = await query('SELECT * FROM sessions ORDER BY session_id');
    const toolUses = (await query('SELECT * FROM tool_uses ORDER BY session_id, tool_use_id')).map(({ id: _id, ...rest }) => rest);
    return { sessions, toolUses };
  }

  it('gives back exactly the rows ingest derived from the recorded Claude Code session, twice over', async () => {
    const base = Date.parse('2026-11-02T09:00:00Z');
    const lines = readFileSync(FIXTURE, 'utf8').split('\n').filter(Boolean);
    for (const [i, line] of lines.entries()) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/hooks/claude-code',
        payload: line,
        headers: { ...JSON_HEADERS, 'x-hookd-event-id': `fx-${i}`, 'x-hookd-timestamp': String(base + i * 1000) },
      });
      expect(res.statusCode).toBe(200);
    }
    const ingested = await derivedRows();
    expect(ingested.sessions).toHaveLength(1);
    expect(ingested.sessions[0]).toMatchObject({
      session_id: FIXTURE_SESSION,
      end_reason: 'prompt_input_exit',
      events: 23,
      tool_calls: 7,
      subagents: 1,
    });
    expect(ingested.toolUses).toHaveLength(7);
    expect(ingested.toolUses.filter((u) => u.status === 'succeeded')).toHaveLength(6);
    expect(ingested.toolUses.filter((u) => u.subagent_type === 'Explore')).toHaveLength(1);

    const first = await maintenance().rebuild();
    expect(first).toEqual({ sessions: 1, removed: 0, changed: 0, events: 23, tool_uses: 7 });
    expect(await derivedRows()).toEqual(ingested);
    expect(await maintenance().rebuild()).toEqual(first);
    expect(await derivedRows()).toEqual(ingested);
  });

  it('reproduces the explicit session operations, repairs damaged rows and drops rows without events', async () => {
    expect(
      (
        await post('POST', '/sessions', {
          session_id: 'rb-api',
          project: 'shop',
          cwd: '/src/shop',
          model: 'm-1',
          started_at: '2026-11-20T08:00:00Z',
        })
      ).statusCode,
    ).toBe(201);
    await post('PUT', '/sessions/rb-api', { model: 'm-2', git_branch: 'main', terminal: 'vscode' });
    await post('POST', '/events/batch', [
      {
        session_id: 'rb-api',
        event_type: 'tool_execution_started',
        data: { tool_name: 'Edit', tool_use_id: 'e1', tool_input: { file_path: 'a.ts' } },
      },
      { session_id: 'rb-api', event_type: 'tool_execution_failed', data: { tool_name: 'Edit', tool_use_id: 'e1', error: 'no match' } },
    ]);
    await post('POST', '/sessions/rb-api/idle', {});
    await post('POST', '/sessions/rb-api/end', { reason: 'finished' });
    const before = await derivedRows();
    const api = before.sessions.find((s) => s.session_id === 'rb-api')!;
    expect(api).toMatchObject({
      project: 'shop',
      model: 'm-2',
      git_branch: 'main',
      terminal: 'vscode',
      end_reason: 'finished',
      failures: 1,
      tool_calls: 1,
    });
    // The end is activity too: it ended the idleness the idle call began.
    expect(api.idle_since).toBeNull();
    expect(api.idle_changed_at).not.toBeNull();

    await query("UPDATE sessions SET events = 999, project = 'wrong', ended_at = NULL WHERE session_id = 'rb-api'");
    await query("DELETE FROM tool_uses WHERE session_id = 'rb-api'");
    const times = dialect === 'sqlite' ? '0, 0, 0, 0' : 'now(), now(), now(), now()';
    await query(
      `INSERT INTO sessions (session_id, source, started_at, last_activity_at, created_at, updated_at) VALUES ('rb-ghost', 'x', ${times})`,
    );

    const summary = await maintenance().rebuild();
    expect(summary).toMatchObject({ sessions: 2, removed: 1, changed: 2, events: 23 + 6 });
    const after = await derivedRows();
    expect(after.toolUses).toEqual(before.toolUses);
    expect(after.sessions.map((s) => s.session_id)).toEqual(before.sessions.map((s) => s.session_id));
    const repaired = after.sessions.find((s) => s.session_id === 'rb-api')!;
    // Repaired, it keeps when it was first written and says when it changed.
    expect({ ...repaired, updated_at: null }).toEqual({ ...api, updated_at: null });
    expect(new Date(repaired.updated_at as number).getTime()).toBeGreaterThanOrEqual(new Date(api.updated_at as number).getTime());
    expect(await maintenance().rebuild()).toMatchObject({ changed: 0, removed: 0 });
    // Rows written, repaired and dropped by hand and by the rebuild: the session rollups followed each.
    await expectExactSessionRollups(t.runtime.db!);
    // A rebuild leaves the events, so their per-minute counts, as they were.
    await expectExactEventMinutes(t.runtime.db!);
  });

  it('rebuilds one session with --session, and reports an unknown one', async () => {
    await query(`UPDATE sessions SET prompts = 42 WHERE session_id IN ('rb-api', '${FIXTURE_SESSION}')`);
    const one = await maintenance().rebuild({ sessionId: 'rb-api' });
    expect(one).toEqual({ sessions: 1, removed: 0, changed: 1, events: 6, tool_uses: 1 });
    const prompts = Object.fromEntries(
      (await query('SELECT session_id, prompts FROM sessions')).map((r) => [r.session_id, Number(r.prompts)]),
    );
    expect(prompts).toEqual({ 'rb-api': 0, [FIXTURE_SESSION]: 42 });
    await expect(maintenance().rebuild({ sessionId: 'rb-none' })).rejects.toMatchObject({ statusCode: 404, code: 'session_not_found' });
    await maintenance().rebuild({ sessionId: FIXTURE_SESSION });
  });

  it('keeps a stale end that only the sweep recorded', async () => {
    const stale = await createTestApp(dialect, { HOOKD_SESSION_STALE_MS: '3600000' });
    try {
      const res = await stale.app.inject({
        method: 'POST',
        url: '/events',
        headers: JSON_HEADERS,
        payload: JSON.stringify({ session_id: 'rb-stale', event_type: 'prompt_submitted', timestamp: Date.now() - 7200_000 }),
      });
      expect(res.statusCode).toBe(202);
      const services = stale.runtime.services;
      expect(await services.sessionMaintenance.sweepStale()).toBe(1);
      const swept = (await stale.app.inject({ url: '/sessions/rb-stale' })).json();
      expect(swept).toMatchObject({ status: 'ended', end_reason: 'stale' });
      expect(await services.sessionMaintenance.rebuild()).toMatchObject({ sessions: 1, changed: 0 });
      expect((await stale.app.inject({ url: '/sessions/rb-stale' })).json()).toEqual(swept);
    } finally {
      await stale.close();
    }
  });

  it('waits for (PostgreSQL: gives way to and retries after) a writer holding the session, then completes', async () => {
    const db = t.runtime.db!;
    let release: () => Promise<void>;
    if (db.kind === 'sqlite') {
      // The write lock held by another thread, as a hook process or the write thread would;
      // it lets go on its own, since a waiting SQLite rebuild holds this thread.
      const holder = new Worker(
        `const { parentPort, workerData } = require('node:worker_threads');
         const db = new (require('better-sqlite3'))(workerData);
         db.exec('BEGIN IMMEDIATE');
         parentPort.postMessage('locked');
         setTimeout(() => { db.exec('COMMIT'); db.close(); }, 600);`,
        { eval: true, workerData: db.path },
      );
      const exited = once(holder, 'exit');
      await once(holder, 'message');
      release = async () => {
        await exited;
      };
    } else {
      const client = await db.pool.connect();
      await client.query('BEGIN');
      await client.query("SELECT 1 FROM sessions WHERE session_id = 'rb-api' FOR UPDATE");
      release = async () => {
        await client.query('COMMIT');
        client.release();
      };
    }
    const started = Date.now();
    const rebuilt = maintenance().rebuild({ sessionId: 'rb-api' });
    await new Promise((resolve) => setTimeout(resolve, 600));
    await release();
    expect(await rebuilt).toMatchObject({ sessions: 1, changed: 0, events: 6 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
  });

  it('stays consistent with events ingested into the same sessions while it runs', async () => {
    // Three sessions written at once, each call started then finished, while rebuilds run.
    const ingest = (session: string) =>
      (async () => {
        for (let i = 0; i < 20; i++) {
          const data = { tool_name: 'Bash', tool_use_id: `tu-${i >> 1}` };
          const event_type = i % 2 === 0 ? 'tool_execution_started' : 'tool_execution_completed';
          expect((await post('POST', '/events', { session_id: session, event_type, data })).statusCode).toBe(202);
        }
      })();
    const rebuilds = (async () => {
      for (let i = 0; i < 10; i++) await maintenance().rebuild();
    })();
    await Promise.all([ingest('rb-busy-0'), ingest('rb-busy-1'), ingest('rb-busy-2'), rebuilds]);
    // Whatever interleaving happened, the rows are what the stored events derive.
    const settled = await derivedRows();
    expect(await maintenance().rebuild()).toMatchObject({ changed: 0 });
    expect(await derivedRows()).toEqual(settled);
    const busy = settled.sessions.filter((s) => String(s.session_id).startsWith('rb-busy-'));
    expect(busy.map((s) => Number(s.events))).toEqual([20, 20, 20]);
    expect(busy.map((s) => Number(s.tool_calls))).toEqual([10, 10, 10]);
    // Each event counted once in its minute, however the passes and rebuilds interleaved.
    await expectExactEventMinutes(t.runtime.db!);
  });
});
