// npm run bench:web — the dashboard in Debian's Chromium against hookd (bin/hookd, SQLite
// FULL by default) holding a realistic history:
//   1. the overview's time to interactive: from navigation start until every figure and
//      the chart are shown (no request left out), in fresh browser contexts (cold cache),
//      on the loaded database and, as the baseline of the same run, on an empty one;
//      floor: median at most 1 s on the loaded one;
//   2. the live page while events arrive at 200 per second: every event sent must reach
//      the page (none dropped), with the main thread's long tasks reported.
//   BENCH_EVENTS=n       history to load (default 1000000)
//   BENCH_RUNS=n         overview loads per database, alternating (default 7)
//   BENCH_LIVE_SECONDS=n how long the live page receives (default 20)
//   BENCH_STORAGES=a     sqlite-full (default) or postgres
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../test/support/browser.ts';
import { waitForDerivation } from './analytics-check.ts';
import { analyticsSessions, emptyFacts } from './analytics-data.ts';
import { loadSessions } from './analytics-load.ts';
import { benchStorages, type BenchStorage } from './bench-storages.ts';
import { installCleanupHandlers, runBench } from './cleanup.ts';
import { startHookdServer, type HookdServer } from './hookd-server.ts';
import { machineFacts } from './machine-facts.ts';
import { quantile } from './quantile.ts';
import { machineLine } from './report.ts';
import { listSetting, numberSetting } from './settings.ts';

const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));
const EVENTS = numberSetting('BENCH_EVENTS', 1_000_000, true);
const RUNS = numberSetting('BENCH_RUNS', 7, true);
const LIVE_SECONDS = numberSetting('BENCH_LIVE_SECONDS', 20, true);
const LIVE_RATE = 200;
const TTI_FLOOR_MS = 1000;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

interface Timings {
  runs: number[];
  median: number;
  max: number;
}

const summarize = (runs: number[]): Timings => {
  const sorted = [...runs].sort((a, b) => a - b);
  return { runs, median: quantile(sorted, 0.5), max: sorted.at(-1)! };
};

/**
 * Loads the overview in a fresh context and returns the page's own clock when it became
 * interactive: every figure has its value, the chart is drawn and nothing is loading.
 */
async function overviewTti(browser: Browser, baseUrl: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
  try {
    const page = await context.newPage();
    await page.goto(`${baseUrl}/`, { waitUntil: 'commit' });
    await page.waitForFunction(
      `document.querySelector('.panel-figure') !== null && document.querySelector('.chart canvas') !== null &&
       document.querySelectorAll('.loading').length === 0 &&
       [...document.querySelectorAll('.figure-value')].length > 0 &&
       [...document.querySelectorAll('.figure-value')].every((e) => e.textContent !== '…')`,
      undefined,
      { polling: 'raf', timeout: 30_000 },
    );
    return (await page.evaluate('performance.now()')) as number;
  } finally {
    await context.close();
  }
}

async function loadHistory(server: HookdServer): Promise<{ events: number; seconds: number; catchUp: number }> {
  const facts = emptyFacts();
  let last = 0;
  const figures = await loadSessions(server.baseUrl, analyticsSessions({ events: EVENTS, seed: 20_251_001, now: Date.now() }, facts), {
    batchSize: 1000,
    concurrency: 4,
    onProgress(events, seconds) {
      if (events - last < EVENTS / 5) return;
      last = events;
      console.log(`  ${fmt(events)} events loaded (${fmt(events / seconds)}/s)`);
    },
  });
  const catchUp = await waitForDerivation(server.baseUrl);
  return { events: figures.events, seconds: figures.seconds, catchUp };
}

interface LiveResult {
  sent: number;
  received: number;
  longTasks: number;
  longestTaskMs: number;
  busyShare: number;
}

/** Opens the live page, sends LIVE_RATE events a second for LIVE_SECONDS, counts what the page received. */
async function liveRun(browser: Browser, baseUrl: string): Promise<LiveResult> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
  try {
    const page: Page = await context.newPage();
    await page.addInitScript(`
      window.__longTasks = [];
      new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); })
        .observe({ type: 'longtask', buffered: true });`);
    await page.goto(`${baseUrl}/ui/live?source=bench-live`);
    await page.waitForFunction(`document.querySelector('.stream-status')?.textContent === 'Live'`, undefined, { timeout: 30_000 });
    await page.evaluate('window.__longTasks.length = 0');
    // 20 events every 100 ms, across 10 sessions, as a team of agents would send them.
    const started = performance.now();
    let sent = 0;
    const perTick = LIVE_RATE / 10;
    for (let tick = 0; tick < LIVE_SECONDS * 10; tick++) {
      const batch = Array.from({ length: perTick }, (_, i) => ({
        event_type: i % 2 ? 'tool_execution_completed' : 'tool_execution_started',
        session_id: `live-${(sent + i) % 10}`,
        source: 'bench-live',
        data: { tool_name: 'Bash', tool_use_id: `call-${(sent + i) >> 1}`, tool_input: { command: `step ${sent + i}` } },
      }));
      const res = await fetch(`${baseUrl}/events/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(batch),
      });
      if (res.status !== 202) throw new Error(`POST /events/batch answered ${res.status}`);
      sent += batch.length;
      const wait = started + (tick + 1) * 100 - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    const receivedText = async () => Number(((await page.locator('.live-controls .muted').textContent()) ?? '').replace(/[^\d]/g, ''));
    const deadline = Date.now() + 10_000;
    let received = await receivedText();
    while (received < sent && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      received = await receivedText();
    }
    const tasks = (await page.evaluate('window.__longTasks')) as number[];
    const elapsed = performance.now() - started;
    return {
      sent,
      received,
      longTasks: tasks.length,
      longestTaskMs: tasks.length ? Math.max(...tasks) : 0,
      busyShare: tasks.reduce((a, b) => a + b, 0) / elapsed,
    };
  } finally {
    await context.close();
  }
}

async function benchStorage(storage: BenchStorage, browser: Browser, lines: string[]): Promise<boolean> {
  const skipped = await storage.prepare();
  if (skipped) {
    lines.push(`${storage.label}: skipped (${skipped})`);
    return true;
  }
  const empty = await storage.freshDatabase();
  const full = await storage.freshDatabase();
  const emptyServer = await startHookdServer({ env: empty.env });
  const fullServer = await startHookdServer({ env: full.env });
  try {
    console.log(`\n--- ${storage.label}: loading ${fmt(EVENTS)} events ---`);
    const load = await loadHistory(fullServer);
    console.log(
      `  loaded ${fmt(load.events)} events in ${load.seconds.toFixed(0)} s; derivation caught up ${load.catchUp.toFixed(1)} s later`,
    );
    // Warm both servers' code paths once, then alternate, so the machine's noise hits both alike.
    await overviewTti(browser, emptyServer.baseUrl);
    await overviewTti(browser, fullServer.baseUrl);
    const baseline: number[] = [];
    const loaded: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      baseline.push(await overviewTti(browser, emptyServer.baseUrl));
      loaded.push(await overviewTti(browser, fullServer.baseUrl));
      console.log(
        `  run ${i + 1}/${RUNS}: overview interactive after ${fmt(loaded.at(-1)!)} ms (empty database: ${fmt(baseline.at(-1)!)} ms)`,
      );
    }
    const b = summarize(baseline);
    const l = summarize(loaded);
    console.log(`  live page at ${LIVE_RATE} events/s for ${LIVE_SECONDS} s ...`);
    const live = await liveRun(browser, fullServer.baseUrl);
    const ttiOk = l.median <= TTI_FLOOR_MS;
    const liveOk = live.received === live.sent;
    lines.push(
      `### ${storage.label}`,
      '',
      `History: ${fmt(load.events)} events loaded in ${load.seconds.toFixed(0)} s, derivation caught up ${load.catchUp.toFixed(1)} s after.`,
      '',
      '| measurement | median | max | runs (ms) |',
      '|---|---:|---:|---|',
      `| overview time to interactive, ${fmt(load.events)} events | ${fmt(l.median)} ms | ${fmt(l.max)} ms | ${l.runs.map(fmt).join(', ')} |`,
      `| overview time to interactive, empty database (baseline) | ${fmt(b.median)} ms | ${fmt(b.max)} ms | ${b.runs.map(fmt).join(', ')} |`,
      '',
      `Ratio to the baseline: ${(l.median / b.median).toFixed(2)}×.`,
      '',
      `Live page at ${LIVE_RATE} events/s for ${LIVE_SECONDS} s: ${fmt(live.received)} of ${fmt(live.sent)} events shown` +
        ` (${live.sent - live.received} dropped); ${live.longTasks} long tasks (longest ${fmt(live.longestTaskMs)} ms), main thread busy in long tasks ${(live.busyShare * 100).toFixed(1)}% of the time.`,
      '',
      `| floor | figure | verdict |`,
      '|---|---|---|',
      `| overview interactive within ${fmt(TTI_FLOOR_MS)} ms (median) at ${fmt(load.events)} events | ${fmt(l.median)} ms | ${ttiOk ? 'PASS' : 'FAIL'} |`,
      `| live page drops no event at ${LIVE_RATE}/s | ${live.sent - live.received} dropped | ${liveOk ? 'PASS' : 'FAIL'} |`,
      '',
    );
    return ttiOk && liveOk;
  } finally {
    await emptyServer.stop();
    await fullServer.stop();
    await empty.dispose();
    await full.dispose();
    await storage.release();
  }
}

async function main(): Promise<number> {
  installCleanupHandlers();
  const facts = machineFacts();
  const startedAt = new Date();
  console.log(`hookd dashboard benchmark, code at ${facts.revision}\nMachine: ${machineLine(facts)}`);
  const only = listSetting('BENCH_STORAGES') ?? ['sqlite-full'];
  const browser = await launchBrowser();
  const lines = [
    `# Dashboard benchmark, ${startedAt.toISOString().slice(0, 10)}`,
    '',
    `Code at ${facts.revision}. Machine: ${machineLine(facts)}. Chromium (Debian) headless, driven by playwright-core, on the same cores as hookd.`,
    `Command: \`BENCH_EVENTS=${EVENTS} BENCH_RUNS=${RUNS} npm run bench:web\`. Overview loads alternate between the loaded and the empty database, each in a fresh browser context (cold cache; the page's CSP is bypassed so the probes may run script strings).`,
    '',
  ];
  let ok = true;
  try {
    for (const storage of benchStorages().filter((s) => only.includes(s.key))) ok = (await benchStorage(storage, browser, lines)) && ok;
  } finally {
    await browser.close();
  }
  const text = lines.join('\n');
  console.log(`\n${text}`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = `${RESULTS_DIR}web-${startedAt.toISOString().slice(0, 10)}${EVENTS === 1_000_000 ? '' : `-partial-${EVENTS}`}.md`;
  writeFileSync(file, `${text}\n`);
  console.log(`report: ${file}`);
  return ok ? 0 : 1;
}

runBench(main);
