import { afterEach, expect, it } from 'vitest';
import { startHookd, stopAllHookd } from '../support/hookd-process.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/test-database.ts';
import { startIngestLoad } from './ingest-load.ts';
import { findMissingEvents } from './missing-events.ts';

// One rule that fires on every event of the load (whose source is `unknown`), so "each
// stored event has exactly one execution" checks that no event was skipped or fired twice.
const CONFIGURATION = {
  claims: { sources: ['unknown'] },
  rules: [{ rule_id: 'every_load_event', name: 'Every load event', hook_types: ['load'], conditions: { logic: 'and', conditions: [] } }],
};

describeEachDialect('team rules across SIGKILL', (dialect) => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await stopAllHookd();
    await db?.cleanup();
  });

  it('fires each rule exactly once per stored event after a kill in the middle of ingest and rules passes', async () => {
    db = await createTestDatabase(dialect);
    const env = { HOOKD_DATABASE_URL: db.url, HOOKD_RULES_INTERVAL_MS: '10' };
    const first = await startHookd({ env });
    const saved = await fetch(`${first.url}/teams/load/configuration`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ configuration: CONFIGURATION }),
    });
    expect(saved.status).toBe(200);

    const load = startIngestLoad({ url: first.url, clients: 10, sessionPrefix: 'rules-crash' });
    await load.waitForAcked(300);
    await new Promise((r) => setTimeout(r, 800));
    expect(first.kill('SIGKILL')).toBe(true);
    await first.exited;
    const report = await load.stop();
    expect(report.unexpected).toEqual([]);

    const second = await startHookd({ env });
    const check = await findMissingEvents(second.url, report.acked);
    expect(check.missing).toEqual([]);
    const fired = new Map<string, number>();
    let cursor: string | null = null;
    do {
      // Reads of executions wait for the rules to catch up with what is stored.
      const res = await fetch(`${second.url}/executions?team_id=load&hook_type=rule&limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
      const page = (await res.json()) as { items: { event_id: string; metadata: { session_id: string } }[]; next_cursor: string | null };
      for (const e of page.items) {
        const key = `${e.metadata.session_id}/${e.event_id}`;
        fired.set(key, (fired.get(key) ?? 0) + 1);
      }
      cursor = page.next_cursor;
    } while (cursor);
    expect([...fired.values()].filter((n) => n !== 1)).toEqual([]);
    expect(fired.size).toBe(check.stored);
    for (const [sessionId, ids] of report.acked) {
      for (const id of ids) expect(fired.has(`${sessionId}/${id}`), `${sessionId}/${id}`).toBe(true);
    }
  });
});
