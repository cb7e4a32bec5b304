import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PostgresDatabase } from '../../src/db/database.ts';
import { monthOf, partitionName } from '../../src/modules/partitions/partition-manager.ts';
import { createTestApp, JSON_HEADERS, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

describeEachDialect('event partitions', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const post = (events: unknown[]) =>
    t.app.inject({ method: 'POST', url: '/events/batch', headers: JSON_HEADERS, payload: JSON.stringify(events) });

  it('stores events of any accepted month (partitions made on demand on PostgreSQL)', async () => {
    const times = ['2003-05-17T08:00:00Z', '2019-12-31T23:59:59.999Z', '2020-01-01T00:00:00Z'];
    const res = await post(times.map((timestamp, i) => ({ event_type: 'old', session_id: 'part-1', event_id: `p${i}`, timestamp })));
    expect(res.statusCode).toBe(202);
    const items = (await t.app.inject({ url: '/events?session_id=part-1' })).json().items;
    expect(items.map((e: { timestamp: string }) => e.timestamp).sort()).toEqual(times.map((x) => new Date(x).toISOString()).sort());
    const stores = t.runtime.services.stores;
    expect(stores.dialect).toBe(dialect);
    if (stores.dialect === 'sqlite') {
      expect('partitions' in stores).toBe(false);
      return;
    }
    const names = (await stores.partitions.list()).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['events_p2003_05', 'events_p2019_12', 'events_p2020_01']));
    // Partitions exist ahead of time: this month and the configured months after it.
    const now = monthOf(Date.now());
    for (let m = now; m <= now + t.config.partitionsAhead; m++) expect(names).toContain(partitionName(m));
  });

  if (dialect === 'postgres') {
    it('has no default partition to trap rows', async () => {
      const db = t.runtime.db as PostgresDatabase;
      const { rows } = await db.pool.query(
        `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          WHERE i.inhparent = 'hookd.events'::regclass AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT'`,
      );
      expect(rows).toEqual([]);
    });
  }

  if (dialect === 'postgres') {
    it('detaches old months while ingest goes on, and forgets their keys', async () => {
      const stores = t.runtime.services.stores;
      if (stores.dialect !== 'postgres') throw new Error('partitions are PostgreSQL only');
      const partitions = stores.partitions;
      await post([{ event_type: 'old', session_id: 'part-2', event_id: 'gone', timestamp: '2004-02-10T00:00:00Z' }]);
      let stop = false;
      let acknowledged = 0;
      const load = (async () => {
        for (let i = 0; !stop; i++) {
          const res = await post([{ event_type: 'live', session_id: 'part-live', event_id: `l${i}` }]);
          if (res.statusCode === 202) acknowledged++;
        }
      })();
      const detached = await partitions.detachOlderThan(12 * 15, { drop: true });
      stop = true;
      await load;
      expect(detached.map((d) => d.name)).toEqual(expect.arrayContaining(['events_p2003_05', 'events_p2004_02']));
      expect(detached.find((d) => d.name === 'events_p2004_02')!.keysDeleted).toBe(1);
      expect(acknowledged).toBeGreaterThan(0);
      expect((await partitions.list()).map((p) => p.name)).not.toContain('events_p2004_02');
      // Its key went with it: the same event can be stored again, into a new partition.
      const again = await post([{ event_type: 'old', session_id: 'part-2', event_id: 'gone', timestamp: '2004-02-10T00:00:00Z' }]);
      expect(again.json()).toMatchObject({ accepted: 1, duplicates: 0 });
      const live = (await t.app.inject({ url: '/events?session_id=part-live&limit=1000' })).json().items;
      expect(live).toHaveLength(acknowledged);
    });
  }
});
