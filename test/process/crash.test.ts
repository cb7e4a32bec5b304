import { afterEach, expect, it } from 'vitest';
import { startHookd, stopAllHookd } from '../support/hookd-process.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/test-database.ts';
import { startIngestLoad } from './ingest-load.ts';
import { findMissingEvents } from './missing-events.ts';

describeEachDialect('SIGKILL under load', (dialect) => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await stopAllHookd();
    await db?.cleanup();
  });

  it('keeps every acknowledged event and serves again after a restart', async () => {
    db = await createTestDatabase(dialect);
    const env = { HOOKD_DATABASE_URL: db.url };
    // Derivation passes held back, so the kill certainly leaves committed events not derived yet.
    const first = await startHookd({ env: { ...env, HOOKD_DERIVE_DELAY_MS: '60000' } });

    const load = startIngestLoad({ url: first.url, clients: 20, sessionPrefix: 'crash' });
    // Kill only once writes are clearly flowing, so the kill lands among commits.
    await load.waitForAcked(200);
    await new Promise((r) => setTimeout(r, 1000));
    expect(first.kill('SIGKILL')).toBe(true);
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const report = await load.stop();

    expect(report.unexpected).toEqual([]);
    expect(report.ackedEvents).toBeGreaterThan(200);
    // Twenty clients always have requests on the wire: some must have been cut off.
    expect(report.networkErrors).toBeGreaterThan(0);

    const second = await startHookd({ env });
    const check = await findMissingEvents(second.url, report.acked);
    expect(check.missing).toEqual([]);
    expect(check.duplicated).toEqual([]);
    expect(check.stored).toBeGreaterThanOrEqual(report.ackedEvents);
    // Every stored event was derived exactly once: each session counts its stored events.
    for (const [sessionId, stored] of check.perSession) {
      const session = await fetch(`${second.url}/sessions/${sessionId}`);
      expect(session.status).toBe(200);
      expect(((await session.json()) as { events: number }).events, sessionId).toBe(stored);
    }

    const health = await fetch(`${second.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'healthy' });
    // A retry of an acknowledged event stays a duplicate; a new one is stored.
    const [sessionId, ids] = [...report.acked].find(([, ids]) => ids.length > 0)!;
    const retry = await fetch(`${second.url}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event_type: 'load', session_id: sessionId, event_id: ids[0] }),
    });
    expect(retry.status).toBe(202);
    expect(await retry.json()).toEqual({ accepted: 1, duplicates: 1, message: 'Events accepted' });
    const fresh = await fetch(`${second.url}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event_type: 'after_crash', session_id: 'crash-after', event_id: 'after-1' }),
    });
    expect(fresh.status).toBe(202);
    expect(await fresh.json()).toEqual({ accepted: 1, duplicates: 0, message: 'Events accepted' });
    const read = await fetch(`${second.url}/events/after-1`);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ event_id: 'after-1', session_id: 'crash-after', event_type: 'after_crash' });
    expect(second.running()).toBe(true);
  });
});
