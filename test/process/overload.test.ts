import { readFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { startHookd, stopAllHookd } from '../support/hookd-process.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/test-database.ts';
import { startIngestLoad } from './ingest-load.ts';
import { findMissingEvents } from './missing-events.ts';

const RSS_LIMIT_MB = 400;

function rssMb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

describeEachDialect('overload', (dialect) => {
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await stopAllHookd();
    await db?.cleanup();
  });

  it('sheds load with 503 + Retry-After, stores every accepted event and keeps memory bounded', async () => {
    db = await createTestDatabase(dialect);
    const server = await startHookd({ env: { HOOKD_DATABASE_URL: db.url, HOOKD_QUEUE_MAX_EVENTS: '50' } });
    const rssBefore = rssMb(server.pid);
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      if (server.running()) rssPeak = Math.max(rssPeak, rssMb(server.pid));
    }, 100);

    // Far more events in flight than the queue may hold: 60 batches of 10-30 at once.
    const load = startIngestLoad({
      url: server.url,
      clients: 60,
      sessionPrefix: 'over',
      batchShare: 1,
      batchSize: [10, 30],
      padBytes: 512,
    });
    await new Promise((r) => setTimeout(r, 3000));
    const report = await load.stop();
    clearInterval(sampler);
    const rssAfter = rssMb(server.pid);

    expect(report.unexpected).toEqual([]);
    expect(report.networkErrors).toBe(0);
    expect(report.statuses[503]).toBeGreaterThan(0);
    expect(report.statuses[202]).toBeGreaterThan(0);
    expect(report.missingRetryAfter).toBe(0);
    expect(report.badErrorSamples).toEqual([]);
    expect(Math.max(rssPeak, rssAfter), `VmRSS before ${rssBefore} MB, peak ${rssPeak} MB`).toBeLessThan(RSS_LIMIT_MB);

    expect(server.running()).toBe(true);
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    const check = await findMissingEvents(server.url, report.acked);
    expect(check.missing).toEqual([]);
    expect(check.duplicated).toEqual([]);
    // Shed requests were refused whole: nothing beyond what was acknowledged was stored.
    expect(check.stored).toBe(report.ackedEvents);
  });
});
