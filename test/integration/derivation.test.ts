import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import type { PostgresDatabase } from '../../src/db/database.ts';
import { createPostgresDerivation } from '../../src/modules/derivation/session-deriver-postgres.ts';
import { openRuntime, type Runtime } from '../../src/runtime/runtime.ts';
import { createTestApp, JSON_HEADERS, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

type Row = Record<string, unknown>;

/** The derived session rows as stored right now, without waiting for any pass. */
async function storedSessions(runtime: Runtime, sessionId: string): Promise<Row[]> {
  const db = runtime.db!;
  if (db.kind === 'sqlite') return db.sqlite.prepare('SELECT * FROM sessions WHERE session_id = ?').all(sessionId) as Row[];
  return (await db.pool.query('SELECT * FROM sessions WHERE session_id = $1', [sessionId])).rows as Row[];
}

const events = (sessionId: string, prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    event_type: 'prompt_submitted',
    session_id: sessionId,
    event_id: `${prefix}-${i}`,
    source: 'claude-code',
  }));

describe('derivation settings', () => {
  it('a pass waits 20 ms after a commit by default; HOOKD_DERIVE_DELAY_MS sets it, 0 included; nonsense is refused', () => {
    expect(loadConfig({}).sessions.deriveDelayMs).toBe(20);
    expect(loadConfig({ HOOKD_DERIVE_DELAY_MS: '0' }).sessions.deriveDelayMs).toBe(0);
    expect(() => loadConfig({ HOOKD_DERIVE_DELAY_MS: '-5' })).toThrow(/HOOKD_DERIVE_DELAY_MS/);
    expect(() => loadConfig({ HOOKD_DERIVE_DELAY_MS: 'soon' })).toThrow(/HOOKD_DERIVE_DELAY_MS/);
  });

  it('lets 20,000 committed events wait for derivation by default; HOOKD_DERIVE_BACKLOG_MAX sets it', () => {
    expect(loadConfig({}).sessions.deriveBacklogMax).toBe(20_000);
    expect(loadConfig({ HOOKD_DERIVE_BACKLOG_MAX: '0' }).sessions.deriveBacklogMax).toBe(0);
    expect(() => loadConfig({ HOOKD_DERIVE_BACKLOG_MAX: '-1' })).toThrow(/HOOKD_DERIVE_BACKLOG_MAX/);
  });
});

describeEachDialect('derivation of sessions after the events commit', (dialect) => {
  // Passes held back for a minute: whatever a test sees derived, a read's catch-up derived.
  let held: TestApp;
  beforeAll(async () => {
    held = await createTestApp(dialect, { HOOKD_DERIVE_DELAY_MS: '60000' });
  });
  afterAll(async () => held?.close());

  const post = (t: TestApp, body: unknown) =>
    t.app.inject({ method: 'POST', url: '/events/batch', headers: JSON_HEADERS, payload: JSON.stringify(body) });

  it('holds a commit back while more than HOOKD_DERIVE_BACKLOG_MAX events wait to be derived', async () => {
    const bounded = await createTestApp(dialect, { HOOKD_DERIVE_DELAY_MS: '60000', HOOKD_DERIVE_BACKLOG_MAX: '5' });
    try {
      const waiting = async () => (await bounded.runtime.services.stores.derivationBacklog()).events;
      // Passes wait a minute after a commit, so only the limit makes one run sooner.
      const seen: number[] = [];
      for (const batch of ['b1', 'b2', 'b3', 'b4']) {
        expect((await post(bounded, events(`d-bounded-${batch}`, batch, 4))).statusCode).toBe(202);
        seen.push(await waiting());
      }
      // 4, then 8 (4 were under the limit), then the third commit first derived those 8. A
      // pass that found work looks again at once (PostgreSQL), and may take the newest batch too.
      expect(seen.slice(0, 2)).toEqual([4, 8]);
      expect([0, 4]).toContain(seen[2]);
      expect([0, 4, 8]).toContain(seen[3]);
    } finally {
      await bounded.close();
    }
  });

  it('acknowledges before deriving, and a read right after sees every acknowledged event', async () => {
    expect((await post(held, events('d-read', 'r', 3))).statusCode).toBe(202);
    expect(await storedSessions(held.runtime, 'd-read')).toEqual([]);
    const res = await held.app.inject({ url: '/sessions/d-read' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ session_id: 'd-read', events: 3 });
    expect(await storedSessions(held.runtime, 'd-read')).toHaveLength(1);
  });

  it("lists a session's events whole, newest first and page by page, while some are derived and some not yet", async () => {
    const at = (i: number) => new Date(Date.parse('2026-11-20T10:00:00Z') + i * 1000).toISOString();
    const mk = (i: number, type = 'x') => ({ event_type: type, session_id: 'd-list', event_id: `l-${i}`, timestamp: at(i) });
    expect((await post(held, [mk(0), mk(2, 'y'), mk(4)])).statusCode).toBe(202);
    await held.runtime.services.stores.deriver.catchUp();
    // Pending: one newer and one older than the derived ones, so the two parts interleave.
    expect((await post(held, [mk(3), mk(1, 'y')])).statusCode).toBe(202);
    const ids = async (query: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await held.app.inject({ url: `/events?session_id=d-list&limit=2${query}${cursor ? `&cursor=${cursor}` : ''}` });
        expect(res.statusCode).toBe(200);
        const body = res.json() as { items: { event_id: string }[]; next_cursor: string | null };
        seen.push(...body.items.map((e) => e.event_id));
        cursor = body.next_cursor;
      } while (cursor);
      return seen;
    };
    expect(await ids('')).toEqual(['l-4', 'l-3', 'l-2', 'l-1', 'l-0']);
    expect(await ids('&event_type=y')).toEqual(['l-2', 'l-1']);
    expect(await ids(`&from=${encodeURIComponent(at(1))}&to=${encodeURIComponent(at(4))}`)).toEqual(['l-3', 'l-2', 'l-1']);
  });

  it('DELETE of a session whose events are not derived yet leaves nothing for a later pass to bring back', async () => {
    expect((await post(held, events('d-gone', 'g', 4))).statusCode).toBe(202);
    expect((await held.app.inject({ method: 'DELETE', url: '/sessions/d-gone' })).statusCode).toBe(204);
    await held.runtime.services.stores.deriver.catchUp();
    expect(await storedSessions(held.runtime, 'd-gone')).toEqual([]);
    expect((await held.app.inject({ url: '/sessions/d-gone' })).statusCode).toBe(404);
  });

  it('derives in the background, with no read asking, soon after a commit', async () => {
    const t = await createTestApp(dialect, { HOOKD_DERIVE_DELAY_MS: '0' });
    try {
      expect((await post(t, events('d-bg', 'b', 2))).statusCode).toBe(202);
      const deadline = Date.now() + 5000;
      let rows: Row[] = [];
      while (rows.length === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
        rows = await storedSessions(t.runtime, 'd-bg');
      }
      expect(rows).toHaveLength(1);
      expect(Number(rows[0]!.events)).toBe(2);
    } finally {
      await t.close();
    }
  });

  it('two processes writing the same sessions at once derive every event exactly once', async () => {
    const other = await openRuntime(
      loadConfig({ HOOKD_HOME: '/nonexistent-hookd-home', HOOKD_DATABASE_URL: held.url, HOOKD_DERIVE_DELAY_MS: '0' }),
      {
        serverThreads: false,
      },
    );
    try {
      const sessions = ['d-both-1', 'd-both-2', 'd-both-3'];
      const writes: Promise<unknown>[] = [];
      for (let round = 0; round < 20; round++) {
        for (const s of sessions) {
          writes.push(post(held, events(s, `here-${round}`, 5)).then((res) => expect(res.statusCode).toBe(202)));
          writes.push(other.services.ingest.ingestBatch(events(s, `there-${round}`, 5)));
        }
        // Reads in between make both processes derive while the other still writes.
        if (round % 5 === 0) writes.push(other.services.stores.deriver.catchUp(), held.runtime.services.stores.deriver.catchUp());
      }
      await Promise.all(writes);
      await other.services.stores.deriver.catchUp();
      for (const s of sessions) {
        const res = await held.app.inject({ url: `/sessions/${s}` });
        expect(res.json().events, s).toBe(200);
      }
    } finally {
      await other.services.close();
    }
  });

  if (dialect === 'postgres') {
    it('commits a pass without waiting for its WAL flush, in that transaction alone', async () => {
      expect((await post(held, events('d-async', 'a', 2))).statusCode).toBe(202);
      const db = held.runtime.db as PostgresDatabase;
      // The pass's own connection, asked at its COMMIT what the commit will wait for.
      const atCommit: string[] = [];
      const watched = Object.create(db.pool) as pg.Pool;
      watched.connect = (async () => {
        const client = await db.pool.connect();
        const query = client.query;
        const release = client.release;
        client.query = (async (...args: Parameters<pg.PoolClient['query']>) => {
          const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text;
          if (text === 'COMMIT')
            atCommit.push(
              (await (query as (sql: string) => Promise<pg.QueryResult>).call(client, 'SHOW synchronous_commit')).rows[0]
                .synchronous_commit,
            );
          return query.apply(client, args as never);
        }) as never;
        client.release = (...args: Parameters<pg.PoolClient['release']>) => {
          client.query = query;
          client.release = release;
          return release.apply(client, args);
        };
        return client;
      }) as never;
      expect(await createPostgresDerivation({ ...db, pool: watched }).pass()).toBeGreaterThan(0);
      expect(atCommit).toEqual(['off']);
      expect(await storedSessions(held.runtime, 'd-async')).toHaveLength(1);
      // SET LOCAL: the connection is back to durable commits for whatever uses it next.
      expect((await db.pool.query('SHOW synchronous_commit')).rows[0].synchronous_commit).toBe('on');
    });
  }
});
