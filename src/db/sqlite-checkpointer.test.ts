import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openSqlite } from './sqlite-connection.ts';
import { startSqliteCheckpointer } from './sqlite-checkpointer.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Commits small transactions for `ms` without pause, as steady ingest does; returns the WAL's size after. */
async function walAfterSteadyWrites(restartBytes: number, ms: number): Promise<{ walBytes: number; rows: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'hookd-wal-'));
  dirs.push(dir);
  const path = join(dir, 'w.db');
  const db = openSqlite({ path, sync: 'normal', autoCheckpoint: false });
  // The first commit after a restart cuts the file to what it holds, so its size shows the WAL's content.
  db.sqlite.pragma('journal_size_limit = 0');
  db.sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT, v TEXT); CREATE INDEX t_k ON t (k)');
  const insert = db.sqlite.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
  const checkpointer = startSqliteCheckpointer(path, 'normal', 20, restartBytes);
  const pad = 'x'.repeat(600);
  let rows = 0;
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // Each row its own commit, its key scattered over the index: many pages per commit.
    insert.run(Math.random().toString(36), pad);
    rows++;
    // Like the server's write thread, which waits for the next group now and then; a
    // millisecond is far too short for a checkpoint to catch up with what was written.
    if (rows % 100 === 0) await new Promise((r) => setTimeout(r, 1));
  }
  const walBytes = statSync(`${path}-wal`).size;
  await checkpointer.stop();
  db.sqlite.close();
  return { walBytes, rows };
}

it('keeps the WAL bounded under steady writes by making it start over past the threshold', async () => {
  const bounded = await walAfterSteadyWrites(1024 * 1024, 1500);
  const unbounded = await walAfterSteadyWrites(Number.MAX_SAFE_INTEGER, 1500);
  // Without restarts every frame written stays in the file; with them it stays near the threshold.
  expect(unbounded.walBytes).toBeGreaterThan(64 * 1024 * 1024);
  expect(bounded.walBytes).toBeLessThan(unbounded.walBytes / 4);
  expect(bounded.walBytes).toBeLessThan(48 * 1024 * 1024);
  expect(bounded.rows).toBeGreaterThan(1000);
}, 20_000);
