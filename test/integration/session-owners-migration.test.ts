import { afterAll, beforeAll, expect, it } from 'vitest';
import { Migrator } from '../../src/db/migrator.ts';
import { rows } from '../support/analytics-tables.ts';
import { createTestApp, JSON_HEADERS, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

const BEFORE_OWNERS = 10;

describeEachDialect('session owners migration', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it('gives existing sessions their team, derived or not, and keeps authentication on where tokens were issued', async () => {
    const post = async (events: object[]) =>
      expect(
        (await t.app.inject({ method: 'POST', url: '/events/batch', headers: JSON_HEADERS, payload: JSON.stringify(events) })).statusCode,
      ).toBe(202);
    await post([
      { event_type: 'session_started', session_id: 'derived-1', team_id: 'red' },
      { event_type: 'session_started', session_id: 'underived-1', team_id: 'blue' },
      { event_type: 'session_started', session_id: 'teamless-1' },
    ]);
    expect((await t.app.inject({ url: '/sessions' })).json().items).toHaveLength(3);
    const { record } = await t.runtime.services.tokens.create({ scopes: ['read'] });
    await t.runtime.services.tokens.revoke(record.id);

    const db = t.runtime.db!;
    await new Migrator(db).down(BEFORE_OWNERS);
    // underived-1 as a pass had not reached it yet: events only, no session row.
    const exec = async (sql: string) => {
      if (db.kind === 'sqlite') db.sqlite.prepare(sql).run();
      else await db.pool.query(sql);
    };
    await exec(`DELETE FROM sessions WHERE session_id = 'underived-1'`);
    if (dialect === 'sqlite') {
      await exec(
        `UPDATE derivation_cursor SET last_id = (SELECT min(id) - 1 FROM events WHERE session_id = 'underived-1') WHERE name = 'sessions'`,
      );
    }
    await new Migrator(db).up();

    const owners = await rows(db, 'SELECT session_id, team_id FROM session_owners ORDER BY session_id');
    expect(owners).toEqual([
      { session_id: 'derived-1', team_id: 'red' },
      { session_id: 'teamless-1', team_id: null },
      { session_id: 'underived-1', team_id: 'blue' },
    ]);
    expect(await rows(db, "SELECT value FROM settings WHERE name = 'tokens_issued'")).toEqual([{ value: 'true' }]);
  });
});
