import { afterEach, expect, it } from 'vitest';
import { startHookd, stopAllHookd } from '../support/hookd-process.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/test-database.ts';

/** Stored events not derived yet, as /metrics reports them. */
async function backlog(url: string): Promise<number> {
  const metrics = (await (await fetch(`${url}/metrics`)).json()) as { derivation: { backlog_events: number } };
  return metrics.derivation.backlog_events;
}

describeEachDialect('derivation lag of a serving process', (dialect) => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await stopAllHookd();
    await db?.cleanup();
  });

  it('holds a commit back while more than HOOKD_DERIVE_BACKLOG_MAX events wait to be derived', async () => {
    db = await createTestDatabase(dialect);
    // Passes wait a minute after a commit: only the limit makes one run sooner. On SQLite
    // this is the write thread's own check (synchronous=FULL writes there).
    const server = await startHookd({
      env: {
        HOOKD_DATABASE_URL: db.url,
        HOOKD_DERIVE_DELAY_MS: '60000',
        HOOKD_DERIVE_BACKLOG_MAX: '5',
        // The rules passes derive what they read first: not within this test.
        HOOKD_RULES_INTERVAL_MS: '600000',
      },
    });
    // The rules loop's first pass runs as the server starts and derives what it finds; on a
    // busy machine it could still be running when the first batch lands and derive it. Let
    // it end first: after it, no pass comes for ten minutes.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const seen: number[] = [];
    for (const batch of ['b1', 'b2', 'b3', 'b4']) {
      const events = Array.from({ length: 4 }, (_, i) => ({
        event_type: 'prompt_submitted',
        session_id: `lag-${batch}`,
        event_id: `${batch}-${i}`,
        source: 'claude-code',
      }));
      const res = await fetch(`${server.url}/events/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(events),
      });
      expect(res.status).toBe(202);
      seen.push(await backlog(server.url));
    }
    // 4, then 8 (4 were under the limit), then the third commit first derived those 8. A
    // pass that found work looks again at once (PostgreSQL), and may take the newest batch too.
    expect(seen.slice(0, 2)).toEqual([4, 8]);
    expect([0, 4]).toContain(seen[2]);
    expect([0, 4, 8]).toContain(seen[3]);
  });
});
