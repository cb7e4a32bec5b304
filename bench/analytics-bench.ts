// npm run bench:analytics — loads about a million realistic Claude Code hook events into
// hookd on each storage, then times the read (analytics) endpoints against a p95 floor.
//   BENCH_EVENTS=n      events to generate and load (default 1000000, ~50 per session)
//   BENCH_QUERIES=n     timed requests per endpoint, after 5 warm-up ones (default 30)
//   BENCH_STORAGES=a,b  only these of sqlite-full, postgres (sqlite-normal on request)
//   BENCH_CONCURRENCY=n batch requests in flight during the load (default 4)
// An endpoint that answers non-2xx is reported as not available. On PostgreSQL the run
// ends with EXPLAIN (ANALYZE, BUFFERS) of every statement behind the two slowest endpoints.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkSessions, waitForDerivation } from './analytics-check.ts';
import { analyticsSessions, emptyFacts } from './analytics-data.ts';
import { loadSessions } from './analytics-load.ts';
import { explainEndpoints, plansMarkdown, slowestEndpoints } from './analytics-plans.ts';
import { analyticsEndpoints, timeEndpoint } from './analytics-queries.ts';
import { loadLine, markdownReport, timingTable, type AnalyticsRun, type AnalyticsSettings } from './analytics-report.ts';
import { benchStorages, type BenchStorage } from './bench-storages.ts';
import { cleanupAll, installCleanupHandlers } from './cleanup.ts';
import { startCpuWindow } from './cpu-share.ts';
import { startHookdServer } from './hookd-server.ts';
import { machineFacts } from './machine-facts.ts';
import { machineLine } from './report.ts';
import { listSetting, numberSetting } from './settings.ts';

const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));
const DEFAULT_EVENTS = 1_000_000;
const DEFAULT_STORAGES = ['sqlite-full', 'postgres'];
/** PostgreSQL: EXPLAIN ANALYZE of this many endpoints, the slowest by p95. */
const PLANNED_ENDPOINTS = 2;

const only = listSetting('BENCH_STORAGES');
const startedAt = new Date();
const settings: AnalyticsSettings = {
  events: numberSetting('BENCH_EVENTS', DEFAULT_EVENTS, true),
  batchSize: 1000,
  concurrency: numberSetting('BENCH_CONCURRENCY', 4, true),
  warmup: 5,
  queries: numberSetting('BENCH_QUERIES', 30, true),
  seed: 20_251_001,
  startedAt,
};
// One anchor for every storage: each gets the very same events.
const now = startedAt.getTime();
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function measure(storage: BenchStorage, run: AnalyticsRun): Promise<void> {
  const db = await storage.freshDatabase();
  try {
    const server = await startHookdServer({ env: db.env });
    try {
      const dataset = emptyFacts();
      run.dataset = dataset;
      const step = Math.max(settings.batchSize, Math.round(settings.events / 10 / settings.batchSize) * settings.batchSize);
      let nextReport = step;
      const loadStarted = performance.now();
      const endLoadCpu = await startCpuWindow(server);
      const figures = await loadSessions(
        server.baseUrl,
        analyticsSessions({ events: settings.events, seed: settings.seed, now }, dataset),
        {
          batchSize: settings.batchSize,
          concurrency: settings.concurrency,
          onProgress(events) {
            if (events < nextReport) return;
            nextReport += step;
            console.log(
              `  [${storage.key}] ${fmt(events)} events acknowledged (${fmt(events / ((performance.now() - loadStarted) / 1000))}/s)`,
            );
          },
        },
      );
      run.load = { ...figures, cpu: await endLoadCpu() };
      console.log(`  [${storage.key}] loaded ${loadLine(run)}`);

      run.catchUpSeconds = await waitForDerivation(server.baseUrl);
      console.log(`  [${storage.key}] derivation caught up ${run.catchUpSeconds.toFixed(1)} s after the last batch`);
      run.check = await checkSessions(server.baseUrl, dataset);
      console.log(`  [${storage.key}] ${run.check.ok ? 'check' : 'CHECK FAILED'}: ${run.check.summary}`);
      if (dataset.sessions === 0) throw new Error('no sessions were generated: BENCH_EVENTS is too small');

      // The busiest project and the largest session: the worst cases a dashboard will ask for.
      const project = [...dataset.sessionsByProject].sort((a, b) => b[1] - a[1])[0]![0];
      const endQueryCpu = await startCpuWindow(server);
      for (const endpoint of analyticsEndpoints(project, dataset.heaviestSession.id)) {
        const timing = await timeEndpoint(server.baseUrl, endpoint, settings.warmup, settings.queries);
        run.timings.push(timing);
        const r = timing.result;
        console.log(
          `  [${storage.key}] GET ${endpoint.path}: ${r ? `p50 ${r.p50.toFixed(2)} ms, p95 ${r.p95.toFixed(2)} ms, rows ${r.rows}` : `not available (${timing.unavailable})`}`,
        );
      }
      run.queryCpu = await endQueryCpu();

      if (storage.key === 'postgres') {
        run.plans = plansMarkdown(await explainEndpoints(db.env, slowestEndpoints(run.timings, PLANNED_ENDPOINTS)));
        console.log(`  [${storage.key}] plans of the ${PLANNED_ENDPOINTS} slowest endpoints:\n${run.plans}`);
      }
    } catch (error) {
      // The reason is in the server's log, not in the status the bench saw.
      const log = server.recentOutput().trim();
      if (log) console.error(`  [${storage.key}] server output before the failure:\n${log}`);
      throw error;
    } finally {
      await server.stop();
    }
  } finally {
    await db.dispose();
  }
}

async function benchStorage(storage: BenchStorage): Promise<AnalyticsRun> {
  const run: AnalyticsRun = { key: storage.key, label: storage.label, facts: '', timings: [] };
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
      `per endpoint ${settings.warmup} warm-up + ${settings.queries} timed requests.`,
  );

  const wanted = only ?? DEFAULT_STORAGES;
  const storages = benchStorages().filter((s) => wanted.includes(s.key));
  if (storages.length === 0) throw new Error('BENCH_STORAGES matched none of sqlite-full, sqlite-normal, postgres');
  const runs: AnalyticsRun[] = [];
  for (const storage of storages) runs.push(await benchStorage(storage));

  const markdown = markdownReport(runs, facts, settings, (Date.now() - startedAt.getTime()) / 1000);
  mkdirSync(RESULTS_DIR, { recursive: true });
  // A smaller or partial run must not overwrite the day's full, default one.
  const partial = only !== undefined || settings.events !== DEFAULT_EVENTS;
  const stamp = startedAt.toISOString().slice(11, 19).replace(/:/g, '');
  const file = `${RESULTS_DIR}analytics-${startedAt.toISOString().slice(0, 10)}${partial ? `-partial-${stamp}` : ''}.md`;
  writeFileSync(file, markdown);
  for (const run of runs) if (run.timings.length) console.log(`\n${run.label}\n${timingTable(run.timings)}`);
  console.log(`\nWritten: ${file}`);
  return runs.some((r) => r.failed || (r.check && !r.check.ok)) ? 1 : 0;
}

main()
  .then(async (code) => {
    await cleanupAll();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    console.error(error instanceof Error ? error.stack : String(error));
    await cleanupAll();
    process.exit(1);
  });
