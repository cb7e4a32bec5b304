import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHookd, stopAllHookd, type HookdProcess } from '../support/hookd-process.ts';
import { startPostgresCluster, type PostgresCluster } from '../support/postgres-cluster.ts';
import { postgresSkipReason } from '../support/test-database.ts';

const post = (url: string, path: string, body: unknown) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function expectUnavailable(response: Response): Promise<void> {
  expect(response.status).toBe(503);
  expect(response.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
  expect(await response.json()).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
}

// The tests run in order on one hookd: before, during and after one outage. The cluster
// is this file's own: pausing the shared one would fail every suite running beside it.
describe.skipIf(postgresSkipReason() !== null)('PostgreSQL outage while serving [postgres]', () => {
  let cluster: PostgresCluster;
  let server: HookdProcess;

  beforeAll(async () => {
    const started = await startPostgresCluster();
    if ('skipped' in started) throw new Error(`own PostgreSQL cluster could not start: ${started.skipped}`);
    cluster = started;
    server = await startHookd({ env: { HOOKD_DATABASE_URL: cluster.adminUrl } });
    const before = await post(server.url, '/events', { event_type: 'before', session_id: 'outage', event_id: 'before' });
    expect(before.status).toBe(202);
    await cluster.pause();
  });
  afterAll(async () => {
    await stopAllHookd();
    await cluster?.stop();
  });

  it('refuses ingest with 503 + Retry-After and reports unhealthy but alive', async () => {
    // The first request meets the pool's dead connections, later ones a refused connect.
    for (let i = 0; i < 3; i++) {
      await expectUnavailable(await post(server.url, '/events', { event_type: 'during', session_id: 'outage', event_id: `during-${i}` }));
    }
    await expectUnavailable(
      await post(server.url, '/events/batch', [
        { event_type: 'during', session_id: 'outage', event_id: 'during-b1' },
        { event_type: 'during', session_id: 'outage', event_id: 'during-b2' },
      ]),
    );
    const concurrent = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        post(server.url, '/events', { event_type: 'during', session_id: 'outage', event_id: `during-c${i}` }),
      ),
    );
    for (const response of concurrent) await expectUnavailable(response);

    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'unhealthy', storage: 'postgres' });
    expect((await fetch(`${server.url}/health/ready`)).status).toBe(503);
    const live = await fetch(`${server.url}/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'alive' });
    expect(server.running()).toBe(true);
  });

  it('refuses reads with 503 + Retry-After too', async () => {
    await expectUnavailable(await fetch(`${server.url}/events?session_id=outage`));
    await expectUnavailable(await fetch(`${server.url}/events/before`));
  });

  it('takes events again within seconds of the database coming back, without a restart', async () => {
    await cluster.resume();
    const resumed = Date.now();
    let status = 0;
    while (Date.now() - resumed < 5_000) {
      status = (await post(server.url, '/events', { event_type: 'after', session_id: 'outage', event_id: 'after' })).status;
      if (status === 202) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(202);

    const healthy = await fetch(`${server.url}/health`);
    expect(healthy.status).toBe(200);
    expect(await healthy.json()).toMatchObject({ status: 'healthy' });
    const list = await fetch(`${server.url}/events?session_id=outage`);
    expect(list.status).toBe(200);
    const ids = ((await list.json()) as { items: { event_id: string }[] }).items.map((e) => e.event_id).sort();
    // Refused events were never acknowledged, so they must not be there either.
    expect(ids).toEqual(['after', 'before']);
    expect(server.running()).toBe(true);
    // The outage itself is not a crash: nothing fatal was logged.
    expect(server.logs().filter((r) => r.level >= 60)).toEqual([]);
  });
});
