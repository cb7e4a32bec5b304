import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
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

/**
 * Holds a read transaction (a snapshot on the WAL's frames) open for `ms` on another thread,
 * as a long query does. The thread's code is evaluated JavaScript, which cannot load the
 * TypeScript openSqlite, so it opens the file with the same driver directly.
 */
async function holdRead(path: string, ms: number): Promise<Worker> {
  const reader = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const Database = require(workerData.driver);
     const db = new Database(workerData.path, { readonly: true });
     db.exec('BEGIN');
     db.prepare('SELECT count(*) FROM t').get();
     parentPort.postMessage('reading');
     setTimeout(() => { db.exec('COMMIT'); db.close(); parentPort.postMessage('done'); }, workerData.ms);`,
    { eval: true, workerData: { path, ms, driver: createRequire(import.meta.url).resolve('better-sqlite3') } },
  );
  await once(reader, 'message');
  return reader;
}

it('never holds commits back while a long read keeps the WAL from starting over', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookd-wal-'));
  dirs.push(dir);
  const path = join(dir, 'r.db');
  const db = openSqlite({ path, sync: 'normal', autoCheckpoint: false });
  db.sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  const insert = db.sqlite.prepare('INSERT INTO t (v) VALUES (?)');
  const commit = db.sqlite.transaction(() => {
    for (let i = 0; i < 20; i++) insert.run('x'.repeat(1000));
  });
  // A small threshold: the WAL passes it long before the read ends, so restarts are due throughout.
  const checkpointer = startSqliteCheckpointer(path, 'normal', 20, 64 * 1024);
  const readMs = 2000;
  const reader = await holdRead(path, readMs);
  const readEnded = once(reader, 'message');
  let slowest = 0;
  let commits = 0;
  const end = performance.now() + readMs + 1500;
  while (performance.now() < end) {
    const started = performance.now();
    commit();
    slowest = Math.max(slowest, performance.now() - started);
    commits++;
    await new Promise((r) => setTimeout(r, 2));
  }
  await readEnded;
  await reader.terminate();
  // The frames still in the WAL since it last started over: few once restarts work again after the read.
  const [{ log }] = db.sqlite.pragma('wal_checkpoint(PASSIVE)') as [{ log: number }];
  await checkpointer.stop();
  db.sqlite.close();
  // A restart that waited for the reader held every commit for most of the read (docs/performance.md).
  expect(slowest).toBeLessThan(readMs / 4);
  expect(commits).toBeGreaterThan(100);
  // 1,500 ms of writes after the read, a commit of about 20 KB (5 pages) every 3 ms: without restarts ~2,500 frames from then alone.
  expect(log).toBeLessThan(400);
}, 20_000);
