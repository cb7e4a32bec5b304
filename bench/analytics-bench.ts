// npm run bench:analytics — loads about a million realistic Claude Code hook events into
// hookd on each storage, pausing at checkpoints to time the read (analytics) endpoints
// against a p95 floor, so one run shows how the figures move as the history grows.
//   BENCH_EVENTS=n       events to generate and load (default 1000000, ~50 per session)
//   BENCH_CHECKPOINTS=a,b event counts at which to pause and measure; BENCH_EVENTS is always
//                        the last. Default: 1M, 10M, 100M... below BENCH_EVENTS. Earlier
//                        ones must be multiples of the batch size (1000).
//   BENCH_QUERIES=n      timed requests per endpoint, after 5 warm-up ones (default 30)
//   BENCH_STORAGES=a,b   only these of sqlite-full, postgres (sqlite-normal on request)
//   BENCH_CONCURRENCY=n  batch requests in flight during the load (default 4)
//   BENCH_ORDER=o        time (default: sessions in start order, UUIDv7 event ids, as live
//                        hooks and an import deliver them) or shuffled (random start times
//                        and v4 ids: every index takes its inserts all over)
// At each checkpoint: derivation catch-up, size on disk, then every endpoint with the busiest
// project and largest session loaded by then. The load's rate is kept per slice (each
// million, or each tenth of a run under 2M events) to show whether ingest slows with
// history. An endpoint that answers non-2xx is reported as not available. On PostgreSQL
// the run ends with EXPLAIN (ANALYZE, BUFFERS) of every statement behind the two slowest
// endpoints of the last checkpoint.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkSessions } from './analytics-check.ts';
import { checkpointSetting, defaultCheckpoints, loadCpu, measureCheckpoint, sliceRecorder, sliceSize } from './analytics-checkpoints.ts';
import { analyticsSessions, emptyFacts, type WireEvent } from './analytics-data.ts';
import { loadSessions } from './analytics-load.ts';
import { explainEndpoints, plansMarkdown, slowestEndpoints } from './analytics-plans.ts';
import { loadLine, markdownReport, runSummary, slicesLine, type AnalyticsRun, type AnalyticsSettings } from './analytics-report.ts';
import { benchStorages, type BenchStorage } from './bench-storages.ts';
import { installCleanupHandlers, runBench } from './cleanup.ts';
import { startHookdServer } from './hookd-server.ts';
import { machineFacts } from './machine-facts.ts';
import { machineLine } from './report.ts';
import { listSetting, numberSetting } from './settings.ts';

const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));
const DEFAULT_EVENTS = 1_000_000;
const DEFAULT_STORAGES = ['sqlite-full', 'postgres'];
const BATCH_SIZE = 1000;
/** PostgreSQL: EXPLAIN ANALYZE of this many endpoints, the slowest by p95. */
const PLANNED_ENDPOINTS = 2;

const only = listSetting('BENCH_STORAGES');
const startedAt = new Date();
const events = numberSetting('BENCH_EVENTS', DEFAULT_EVENTS, true);
const settings: AnalyticsSettings = {
  events,
  checkpoints: checkpointSetting(events, BATCH_SIZE),
  batchSize: BATCH_SIZE,
  concurrency: numberSetting('BENCH_CONCURRENCY', 4, true),
  warmup: 5,
  queries: numberSetting('BENCH_QUERIES', 30, true),
  seed: 20_251_001,
  order: orderSetting(),
  startedAt,
};
// One anchor for every storage: each gets the very same events.
const now = startedAt.getTime();
function orderSetting(): 'time' | 'shuffled' {
  const value = process.env.BENCH_ORDER ?? 'time';
  if (value !== 'time' && value !== 'shuffled') throw new Error('BENCH_ORDER must be time or shuffled');
  return value;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Calls `done` with each session once the loader has asked for the next one: all its events are batched. */
function* afterEach(sessions: Iterable<WireEvent[]>, done: (session: WireEvent[]) => void): Generator<WireEvent[]> {
  for (const session of sessions) {
    yield session;
    done(session);
  }
}

async function measure(storage: BenchStorage, run: AnalyticsRun): Promise<void> {
  const db = await storage.freshDatabase();
  try {
    const server = await startHookdServer({ env: db.env });
    try {
      const log = (line: string) => console.log(`  [${storage.key}] ${line}`);
      const dataset = emptyFacts();
      run.dataset = dataset;
      // At a pause the session being batched may be loaded only in part; the largest
      // session to ask for is the largest of those wholly sent.
      let largest = { id: '', events: 0 };
      const sessions = afterEach(
        analyticsSessions({ events: settings.events, seed: settings.seed, now, order: settings.order }, dataset),
        (s) => {
          if (s.length > largest.events) largest = { id: s[0]!.session_id, events: s.length };
        },
      );
      const checkpoint = async (target: number, acknowledged: number) => {
        if (dataset.sessions === 0) throw new Error('no sessions were generated: BENCH_EVENTS is too small');
        const project = [...dataset.sessionsByProject].sort((a, b) => b[1] - a[1])[0]![0];
        const session = largest.id ? largest : dataset.heaviestSession;
        run.checkpoints.push(
          await measureCheckpoint({
            server,
            env: db.env,
            target,
            events: acknowledged,
            sessions: dataset.sessions,
            project,
            sessionId: session.id,
            sessionEvents: session.events,
            warmup: settings.warmup,
            queries: settings.queries,
            log,
          }),
        );
      };

      const slice = sliceSize(settings.events, settings.batchSize);
      const slices = sliceRecorder(slice);
      const cpu = loadCpu(server);
      let nextReport = slice;
      await cpu.resume();
      const figures = await loadSessions(server.baseUrl, sessions, {
        batchSize: settings.batchSize,
        concurrency: settings.concurrency,
        pauseAt: settings.checkpoints.slice(0, -1),
        onProgress(events, seconds) {
          slices.progress(events, seconds);
          if (events < nextReport) return;
          nextReport += slice;
          log(`${fmt(events)} events acknowledged (${fmt(events / seconds)}/s)`);
        },
        async onPause(at, acknowledged) {
          await cpu.pause();
          await checkpoint(at, acknowledged);
          await cpu.resume();
        },
      });
      await cpu.pause();
      run.load = { ...figures, cpu: cpu.total(), sliceSize: slice, slices: slices.slices(figures) };
      log(`loaded ${loadLine(run)}`);
      log(slicesLine(run));

      await checkpoint(settings.checkpoints.at(-1)!, figures.events);
      // After the last timings, so that its paging through every session warms no checkpoint's caches.
      run.check = await checkSessions(server.baseUrl, dataset);
      log(`${run.check.ok ? 'check' : 'CHECK FAILED'}: ${run.check.summary}`);

      if (storage.key === 'postgres') {
        const slowest = slowestEndpoints(run.checkpoints.at(-1)!.timings, PLANNED_ENDPOINTS);
        run.plans = plansMarkdown(await explainEndpoints(db.env, slowest));
        log(`plans of the ${PLANNED_ENDPOINTS} slowest endpoints:\n${run.plans}`);
      }
    } catch (error) {
      // The reason is in the server's log, not in the status the bench saw.
      const output = server.recentOutput().trim();
      if (output) console.error(`  [${storage.key}] server output before the failure:\n${output}`);
      throw error;
    } finally {
      await server.stop();
    }
  } finally {
    await db.dispose();
  }
}

async function benchStorage(storage: BenchStorage): Promise<AnalyticsRun> {
  const run: AnalyticsRun = { key: storage.key, label: storage.label, facts: '', checkpoints: [] };
  console.log(`\n--- ${storage.label} ---`);
  try {
    const skipped = await storage.prepare();
    if (skipped) {
      run.skipped = skipped;
      console.log(`  skipped: ${skipped}`);
      return run;
    }
    run.facts = await storage.describe();
    console.log(`  ${run.facts}`);
    await measure(storage, run);
  } catch (error) {
    run.failed = error instanceof Error ? error.message : String(error);
    console.error(`  [${storage.key}] failed: ${error instanceof Error ? error.stack : String(error)}`);
  } finally {
    await storage.release();
  }
  return run;
}

async function main(): Promise<number> {
  installCleanupHandlers();
  const facts = machineFacts();
  console.log(`hookd analytics benchmark, code at ${facts.revision}`);
  console.log(`Machine: ${machineLine(facts)}`);
  console.log(
    `Beside the server: this process (event generator and loader, then one sequential HTTP client) on the same ${facts.cores} cores; ` +
      'with PostgreSQL, its own processes too.',
  );
  console.log(
    `About ${fmt(settings.events)} events, batches of ${settings.batchSize}, ${settings.concurrency} in flight; ` +
      `checkpoints at ${settings.checkpoints.map(fmt).join(', ')} events; per endpoint ${settings.warmup} warm-up + ${settings.queries} timed requests.`,
  );

  const wanted = only ?? DEFAULT_STORAGES;
  const storages = benchStorages().filter((s) => wanted.includes(s.key));
  if (storages.length === 0) throw new Error('BENCH_STORAGES matched none of sqlite-full, sqlite-normal, postgres');
  const runs: AnalyticsRun[] = [];
  for (const storage of storages) runs.push(await benchStorage(storage));

  const markdown = markdownReport(runs, facts, settings, (Date.now() - startedAt.getTime()) / 1000);
  mkdirSync(RESULTS_DIR, { recursive: true });
  // A smaller or partial run must not overwrite the day's full, default one.
  const partial =
    only !== undefined ||
    settings.events !== DEFAULT_EVENTS ||
    settings.order !== 'time' ||
    settings.checkpoints.join() !== defaultCheckpoints(settings.events).join();
  const stamp = startedAt.toISOString().slice(11, 19).replace(/:/g, '');
  const file = `${RESULTS_DIR}analytics-${startedAt.toISOString().slice(0, 10)}${partial ? `-partial-${stamp}` : ''}.md`;
  writeFileSync(file, markdown);
  for (const run of runs) if (!run.skipped) console.log(`\n${runSummary(run)}`);
  console.log(`\nWritten: ${file}`);
  return runs.some((r) => r.failed || (r.check && !r.check.ok)) ? 1 : 0;
}

runBench(main);
