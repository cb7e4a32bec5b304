// node bench/perf-aggregate-bench.ts — the hourly performance aggregation over a whole
// history: about a million hook executions (200 hooks of 10 teams over 30 days, mixed
// statuses and times) bulk-inserted by one INSERT ... SELECT into a fresh database per
// storage, then PerformanceService.aggregate over the whole range, timed against the
// floor of 30 s, and once more (nothing changes: the cost of an idempotent re-run).
//   BENCH_EXECUTIONS=n  executions to generate (default 1000000)
//   BENCH_STORAGES=a,b  only these of sqlite-full, postgres
import { loadConfig } from '../src/core/config.ts';
import type { Database } from '../src/db/database.ts';
import { openRuntime } from '../src/runtime/runtime.ts';
import { benchStorages, type BenchStorage } from './bench-storages.ts';
import { cleanupAll, installCleanupHandlers } from './cleanup.ts';
import { machineFacts } from './machine-facts.ts';
import { machineLine } from './report.ts';
import { listSetting, numberSetting } from './settings.ts';

const FLOOR_S = 30;
const DAYS = 30;
const DAY_MS = 24 * 3_600_000;
// Whole UTC days, so every storage gets the very same rows whatever the time of the run.
const START = Math.floor((Date.now() - DAYS * DAY_MS) / DAY_MS) * DAY_MS;

export interface AggregateBenchResult {
  storage: string;
  label: string;
  executions: number;
  loadSeconds: number;
  /** The first aggregation over the whole range. */
  seconds: number;
  /** The same again, nothing to change. */
  rerunSeconds: number;
  buckets: number;
  verdict: 'PASS' | 'FAIL';
  /** The rows' total_executions add up to the executions with an outcome. */
  checked: boolean;
  skipped?: string;
}

// Pseudo-random draws in SQL, the same integers on both dialects: a Lehmer step per field
// (distinct multipliers modulo 2^31 - 1) so that hook, status, time and start do not move together.
const draw = (multiplier: number, n = 'n') => `((${n} * ${multiplier}) % 2147483647)`;
const COLUMNS = `execution_id, hook_id, hook_type, team_id, event_type, status, started_at, completed_at, execution_time_ms, created_at, updated_at`;

/** The generated executions as one INSERT ... SELECT; `ms(x)` turns epoch ms into the column's type. */
function insertSql(rows: string, ms: (expr: string) => string, id: string, text: (expr: string) => string): string {
  const hook = `(${draw(48271)} % 200)`;
  const roll = `(${draw(69621)} % 100)`;
  // A draw stays below 2^31 (about 25 days of ms): seconds of the 30 days, plus the millisecond.
  const started = `(${START} + (${draw(16807)} % ${DAYS * 86_400}) * 1000 + ${draw(25237)} % 1000)`;
  const status = `CASE WHEN ${roll} < 80 THEN 'SUCCESS' WHEN ${roll} < 90 THEN 'FAILED' WHEN ${roll} < 94 THEN 'TIMEOUT' WHEN ${roll} < 97 THEN 'CANCELLED' ELSE 'RUNNING' END`;
  // Mostly under a second with a long tail; timeouts at 30 s; RUNNING and one in 50 others without a time.
  const time = `CASE WHEN ${roll} >= 97 OR ${draw(39373)} % 50 = 0 THEN NULL
                     WHEN ${roll} BETWEEN 90 AND 93 THEN 30000
                     ELSE (${draw(40692)} % 1000) * (1 + ${draw(40014)} % 8) END`;
  return `INSERT INTO hook_executions (${COLUMNS})
SELECT ${id}, 'hook_' || ${text(hook)}, 'HookType' || ${text(`${hook} % 12`)}, 'team_' || ${text(`${hook} % 10`)}, 'jira:issue_updated',
       ${status}, ${ms(started)}, CASE WHEN ${roll} >= 97 THEN NULL ELSE ${ms(`${started} + 1000`)} END, ${time},
       ${ms(started)}, ${ms(`${started} + 1000`)}
  FROM ${rows}`;
}

async function load(db: Database, executions: number): Promise<void> {
  if (db.kind === 'sqlite') {
    const sqlite = db.sqlite;
    const rows = `(WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < ${executions}) SELECT n FROM g)`;
    sqlite.exec(
      insertSql(
        rows,
        (x) => x,
        `printf('e%09d', n)`,
        (x) => `CAST(${x} AS TEXT)`,
      ),
    );
    sqlite.exec('ANALYZE');
    return;
  }
  await db.pool.query(
    insertSql(
      `generate_series(1, ${executions}::int8) AS n`,
      (x) => `timestamptz 'epoch' + (${x}) * interval '1 millisecond'`,
      `'e' || lpad(n::text, 9, '0')`,
      (x) => `(${x})::text`,
    ),
  );
  await db.pool.query('ANALYZE hook_executions');
}

async function measure(storage: BenchStorage, executions: number): Promise<AggregateBenchResult> {
  const fresh = await storage.freshDatabase();
  const runtime = await openRuntime(loadConfig({ ...fresh.env, HOOKD_LOG_LEVEL: 'warn' }), {
    applicationName: 'hookd-bench',
    serverThreads: false,
  });
  try {
    const db = runtime.db!;
    const perf = runtime.services.performance;
    let started = performance.now();
    await load(db, executions);
    const loadSeconds = (performance.now() - started) / 1000;
    console.log(`  [${storage.key}] ${executions.toLocaleString('en-US')} executions inserted in ${loadSeconds.toFixed(1)} s`);

    const range = { from: START, to: START + DAYS * DAY_MS };
    started = performance.now();
    const first = await perf.aggregate(range);
    const seconds = (performance.now() - started) / 1000;
    started = performance.now();
    await perf.aggregate(range);
    const rerunSeconds = (performance.now() - started) / 1000;

    const sum = async (sql: string) => {
      const rows =
        db.kind === 'sqlite' ? (db.sqlite.prepare(sql).all() as { n: number }[]) : (await db.pool.query<{ n: number }>(sql)).rows;
      return Number(rows[0]!.n);
    };
    const counted = await sum(`SELECT COUNT(*) AS n FROM hook_executions WHERE status <> 'RUNNING'`);
    const inRows = await sum('SELECT SUM(total_executions) AS n FROM hook_performance_metrics');
    const verdict = seconds < FLOOR_S ? 'PASS' : 'FAIL';
    console.log(
      `  [${storage.key}] aggregate over ${DAYS} days: ${seconds.toFixed(2)} s (${verdict}, floor under ${FLOOR_S} s), ` +
        `${first.buckets_written.toLocaleString('en-US')} hourly rows; again with nothing to change: ${rerunSeconds.toFixed(2)} s; ` +
        `rows add up to ${inRows.toLocaleString('en-US')} of ${counted.toLocaleString('en-US')} counted executions`,
    );
    return {
      storage: storage.key,
      label: storage.label,
      executions,
      loadSeconds,
      seconds,
      rerunSeconds,
      buckets: first.buckets_written,
      verdict,
      checked: inRows === counted,
    };
  } finally {
    await runtime.services.close();
    await fresh.dispose();
  }
}

export async function runAggregateBench(): Promise<AggregateBenchResult[]> {
  const executions = numberSetting('BENCH_EXECUTIONS', 1_000_000, true);
  const wanted = listSetting('BENCH_STORAGES') ?? ['sqlite-full', 'postgres'];
  const facts = machineFacts();
  console.log(`hookd performance aggregation benchmark, code at ${facts.revision}`);
  console.log(`Machine: ${machineLine(facts)}`);
  const results: AggregateBenchResult[] = [];
  for (const storage of benchStorages().filter((s) => wanted.includes(s.key))) {
    console.log(`\n--- ${storage.label} ---`);
    const skipped = await storage.prepare();
    try {
      if (skipped) {
        console.log(`  skipped: ${skipped}`);
        results.push({
          storage: storage.key,
          label: storage.label,
          executions,
          loadSeconds: 0,
          seconds: 0,
          rerunSeconds: 0,
          buckets: 0,
          verdict: 'FAIL',
          checked: false,
          skipped,
        });
        continue;
      }
      console.log(`  ${await storage.describe()}`);
      results.push(await measure(storage, executions));
    } finally {
      await storage.release();
    }
  }
  console.log('\nstorage        executions   aggregate s   re-run s   rows      floor < 30 s   check');
  for (const r of results) {
    if (r.skipped) {
      console.log(`${r.storage.padEnd(14)} skipped: ${r.skipped}`);
      continue;
    }
    console.log(
      `${r.storage.padEnd(14)} ${r.executions.toLocaleString('en-US').padStart(10)}   ${r.seconds.toFixed(2).padStart(11)}   ${r.rerunSeconds.toFixed(2).padStart(8)}   ` +
        `${String(r.buckets).padEnd(8)}  ${r.verdict.padEnd(13)}  ${r.checked ? 'ok' : 'MISMATCH'}`,
    );
  }
  return results;
}

if (import.meta.main) {
  installCleanupHandlers();
  runAggregateBench()
    .then(async (results) => {
      await cleanupAll();
      process.exit(results.every((r) => !r.skipped && r.verdict === 'PASS' && r.checked) ? 0 : 1);
    })
    .catch(async (error: unknown) => {
      console.error(error instanceof Error ? error.stack : String(error));
      await cleanupAll();
      process.exit(1);
    });
}
