import { afterAll, beforeAll, expect, it } from 'vitest';
import { sessionListQuery } from '../../src/modules/analytics/analytics-queries.ts';
import { POSTGRES_DIALECT, SQLITE_DIALECT } from '../../src/db/sql-dialect.ts';
import { createTestApp, JSON_HEADERS, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

// What stays cheap however much history is stored: the plan reads an index made for the
// query, not every session (docs/performance.md, "Analytics reads").
describeEachDialect('analytics plans', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    const events = Array.from({ length: 40 }, (_, i) => ({
      event_type: 'session_started',
      session_id: `plan-${i}`,
      event_id: `p-${i}`,
      timestamp: Date.UTC(2026, 10, 1) + i * 60_000,
      data: { cwd: `/work/${i % 2 ? 'billing-api' : 'web'}` },
    }));
    expect(
      (await t.app.inject({ method: 'POST', url: '/events/batch', headers: JSON_HEADERS, payload: JSON.stringify(events) })).statusCode,
    ).toBe(202);
    expect((await t.app.inject({ url: '/analytics/sessions?project=billing-api&limit=5' })).json().items).toHaveLength(5);
  });
  afterAll(async () => t?.close());

  it('pages the session list of one project through its own index, without sorting the project', async () => {
    const db = t.runtime.db;
    if (db.kind === 'sqlite') {
      const q = sessionListQuery(SQLITE_DIALECT, { project: 'billing-api' }, { limit: 50 });
      const plan = (db.sqlite.prepare(`EXPLAIN QUERY PLAN ${q.text}`).all(...q.values) as { detail: string }[]).map((r) => r.detail);
      expect(plan.join('\n')).toMatch(/USING INDEX sessions_project_started_idx/);
      expect(plan.join('\n')).not.toMatch(/TEMP B-TREE/);
      return;
    }
    const q = sessionListQuery(POSTGRES_DIALECT, { project: 'billing-api' }, { limit: 50 });
    const client = await db.pool.connect();
    try {
      // A few dozen rows are cheaper to scan than any index: plan as for a large table.
      await client.query('SET enable_seqscan = off');
      const { rows } = await client.query(`EXPLAIN ${POSTGRES_DIALECT.placeholders(q.text)}`, q.values);
      const plan = rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/Index Scan Backward using sessions_project_started_idx/);
      expect(plan).not.toMatch(/Sort/);
    } finally {
      await client.query('RESET enable_seqscan');
      client.release();
    }
  });
});
