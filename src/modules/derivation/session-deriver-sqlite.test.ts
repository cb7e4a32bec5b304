import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Migrator } from '../../db/migrator.ts';
import { openSqlite } from '../../db/sqlite-connection.ts';
import { createSqliteDerivation, SQLITE_PASS_EVENTS, SQLITE_PASS_EVENTS_MAX } from './session-deriver-sqlite.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

it('catches up with a backlog pass by pass, giving the thread back in between, until every event is derived', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookd-deriver-'));
  dirs.push(dir);
  const db = openSqlite({ path: join(dir, 'd.db'), sync: 'normal' });
  try {
    await new Migrator(db).up();
    const backlog = SQLITE_PASS_EVENTS * 5 + 3;
    const insert = db.sqlite.prepare(
      `INSERT INTO events (event_id, session_id, event_type, ts, received_at, source, data)
       VALUES (?, ?, 'tool_execution_completed', ?, ?, 'claude-code', ?)`,
    );
    db.sqlite.transaction(() => {
      for (let i = 0; i < backlog; i++) {
        const data = JSON.stringify({ hook_event_name: 'PostToolUse', tool_name: 'Read', tool_use_id: `tu-${i}` });
        insert.run(`e-${i}`, `s-${i % 7}`, 1_000 + i, 1_000 + i, data);
      }
    })();
    const derivedSoFar = db.sqlite.prepare(`SELECT last_id FROM derivation_cursor WHERE name = 'sessions'`).pluck();

    const derivation = createSqliteDerivation(db.sqlite);
    const catchingUp = derivation.catchUp();
    // What another request on this thread would see when it next gets a turn.
    const seenInBetween = await new Promise<number>((resolve) => setImmediate(() => resolve(derivedSoFar.get() as number)));
    await catchingUp;

    expect(seenInBetween).toBeGreaterThan(0);
    expect(seenInBetween).toBeLessThan(backlog);
    expect(derivedSoFar.get()).toBe(backlog);
    expect(db.sqlite.prepare('SELECT count(*) FROM tool_uses').pluck().get()).toBe(backlog);
  } finally {
    await db.close();
  }
});

it('grows its passes while they come back full, up to the maximum, and starts small again after', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookd-deriver-'));
  dirs.push(dir);
  const db = openSqlite({ path: join(dir, 'd.db'), sync: 'normal' });
  try {
    await new Migrator(db).up();
    const insert = db.sqlite.prepare(
      `INSERT INTO events (event_id, session_id, event_type, ts, received_at, source, data)
       VALUES (?, ?, 'tool_execution_completed', ?, ?, 'claude-code', ?)`,
    );
    let next = 0;
    const store = (n: number) =>
      db.sqlite.transaction(() => {
        for (let i = 0; i < n; i++, next++) {
          const data = JSON.stringify({ hook_event_name: 'PostToolUse', tool_name: 'Read', tool_use_id: `tu-${next}` });
          insert.run(`e-${next}`, `s-${next % 7}`, 1_000 + next, 1_000 + next, data);
        }
      })();
    const derivation = createSqliteDerivation(db.sqlite);
    const passes = () => {
      const sizes: number[] = [];
      for (let n = derivation.passSync(); n > 0; n = derivation.passSync()) sizes.push(n);
      return sizes;
    };
    expect([SQLITE_PASS_EVENTS, SQLITE_PASS_EVENTS_MAX]).toEqual([128, 1024]);
    store(3000);
    expect(passes()).toEqual([128, 256, 512, 1024, 1024, 56]);
    store(300);
    expect(passes()).toEqual([128, 172]);
    expect(db.sqlite.prepare('SELECT count(*) FROM tool_uses').pluck().get()).toBe(3300);
  } finally {
    await db.close();
  }
});
