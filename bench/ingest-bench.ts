// npm run bench:ingest — HTTP ingest throughput and latency of hookd on each storage, next to
// a baseline measured in the same run (the fastest peer's work on hookd's stack:
// bench/baseline-server.ts) and the raw insert rate of that storage, checked against the floors
// (bench/floors.ts: ratios to that baseline, absolute batch rates, every run derived).
// Every server starts once and keeps running; each round runs each measurement on the
// baseline, then on each storage, so whatever else the machine does reaches them alike.
// With BENCH_HISTORY the rounds run once per history size, after every storage's store has
// been topped up to it (bench/ingest-history.ts); the baseline stores nothing that could grow,
// so it runs with the first size only.
// Settings: bench/ingest-settings.ts.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BASELINE_LABEL, startBaselineServer } from './baseline-server.ts';
import { type BenchStorage, benchStorages, type FreshDatabase } from './bench-storages.ts';
import { installCleanupHandlers, runBench } from './cleanup.ts';
import { averageEventBytes, bodyTemplates } from './event-bodies.ts';
import { evaluateFloors } from './floors.ts';
import {
  durationS,
  generator,
  historySizes,
  only,
  onlyMeasurements,
  profile,
  quietWaitS,
  rawEvents,
  rawSeconds,
  rawWanted,
  runs,
  serverEnv,
  warmupS,
  withBaseline,
  withNoop,
  hookdMeasurements,
} from './ingest-settings.ts';
import type { ForkedServer } from './forked-server.ts';
import { startHookdServer } from './hookd-server.ts';
import { type HistoryLoader, historyLabel, historyLoader } from './ingest-history.ts';
import { type LoadSpec, runLoad } from './load.ts';
import { machineFacts } from './machine-facts.ts';
import { machineWindow, readCpuTimes, waitForQuiet } from './machine-load.ts';
import { BASELINE_MEASUREMENTS, MEASUREMENTS, type Measurement } from './measurements.ts';
import { startNoopServer } from './noop-server.ts';
import { measureRawMode, normalisedPool, openBenchRuntime, RAW_MODES } from './raw-insert.ts';
import { floorsTable, markdownReport, printHeader, type RunSettings, storageTable } from './report.ts';
import { benchRules } from './rule-eval-bench.ts';
import { derivedAtEnd, type PromSnapshot, parsePrometheus, serverWindow } from './server-window.ts';
import { checkStore, emptyLedger, type Ledger, record } from './store-check.ts';
import { type HttpRuns, type StorageRun, summariseStorage, type TargetKey } from './summary.ts';

const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

const QUIET_BUDGET_MS = 60_000;
let quietBudgetMs = QUIET_BUDGET_MS;
// Idle server and driver use a few %; more means another process is busy.
const QUIET_BUSY_PERCENT = 25;
const startedAt = new Date();
const stamp = startedAt.toISOString().slice(0, 19).replace(/:/g, '');

const NOOP_LABEL = 'bare Fastify: parses the body, answers 202, stores nothing';
// JIT, caches and the first pages of the database, before anything is counted.
const WARM_UP = MEASUREMENTS.filter((m) => m.key === 'single-10' || m.key === 'batch-100');

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** A note for the progress line when the machine was busy before the run. */
async function quieten(): Promise<string> {
  if (quietWaitS === 0 || quietBudgetMs <= 0) return '';
  const { waitedMs, busyPercent } = await waitForQuiet(QUIET_BUSY_PERCENT, Math.min(quietWaitS * 1000, quietBudgetMs));
  quietBudgetMs -= waitedMs;
  if (busyPercent > QUIET_BUSY_PERCENT)
    return ` [machine still ${Math.round(busyPercent)}% busy after waiting ${Math.round(waitedMs / 1000)} s]`;
  return waitedMs > 1000 ? ` [waited ${Math.round(waitedMs / 1000)} s for quiet]` : '';
}

function loadSpec(baseUrl: string, m: Measurement, seconds: number): LoadSpec {
  return {
    baseUrl,
    eventsPerRequest: m.eventsPerRequest,
    connections: m.connections,
    durationS: seconds,
    // Random per run: event ids never repeat, so nothing is deduplicated by accident.
    tagPrefix: randomBytes(5).toString('hex'),
    variants: m.variants,
    ...(m.requestsPerSecond === undefined ? {} : { requestsPerSecond: m.requestsPerSecond }),
  };
}

/** A running server the rounds take turns on. */
interface Target {
  key: TargetKey;
  baseUrl: string;
  measurements: readonly Measurement[];
  run: StorageRun;
  ledger: Ledger;
  scrape(): Promise<PromSnapshot>;
  /**
   * Waits until the server has derived what it stored; returns the ms waited. Before a run,
   * so it is not measured beside an earlier backlog; after one, so the next target is not.
   */
  settle?(): Promise<number>;
  /** Stops the server; for hookd, then checks the store against what it acknowledged. */
  finish(): Promise<void>;
  /** Set when the target failed mid-way: it takes no more turns. */
  dead?: boolean;
  /** hookd with BENCH_HISTORY: tops its store up before each size's rounds. */
  history?: HistoryLoader;
}

/** Where a run's figures go: the current history size's, or the run's own. */
const httpRuns = (run: StorageRun): HttpRuns => run.history?.at(-1)?.http ?? run.http;

/** A read of sessions waits for the derivation to catch up (session-deriver.ts). */
async function settleDerivation(baseUrl: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${baseUrl}/sessions?limit=1`, { signal: AbortSignal.timeout(600_000) });
  if (!res.ok) throw new Error(`waiting for the derivation: GET /sessions answered ${res.status} ${await res.text()}`);
  return performance.now() - started;
}

async function warmUp(target: Target): Promise<void> {
  for (const m of WARM_UP) record(target.ledger, await runLoad(generator, loadSpec(target.baseUrl, m, warmupS)));
  await target.settle?.();
}

async function measureOnce(target: Target, m: Measurement, round: number): Promise<void> {
  const settledMs = target.settle ? await target.settle() : 0;
  const note = (settledMs > 1000 ? ` [derived a backlog first: ${(settledMs / 1000).toFixed(1)} s]` : '') + (await quieten());
  const machineBefore = readCpuTimes();
  const before = await target.scrape();
  const load = await runLoad(generator, loadSpec(target.baseUrl, m, m.fixedDurationS ?? durationS));
  const after = await target.scrape();
  const machineAfter = readCpuTimes();
  const caughtUpMs = target.settle ? await target.settle() : 0;
  record(target.ledger, load);
  const window = serverWindow(before, after, load.durationS);
  const machine = machineWindow(machineBefore, machineAfter);
  const wallS = machineBefore && machineAfter ? (machineAfter.at - machineBefore.at) / 1000 : NaN;
  const otherPercent = machine.busyPercent - ((window.cpuSeconds + load.processCpuSeconds) / wallS) * 100;
  const derived = derivedAtEnd(window, load.eventsPerSec);
  (httpRuns(target.run)[m.key] ??= []).push({ round, load, server: window, machine: { ...machine, otherPercent }, derived });
  const bad = load.refusedTotal + load.errors + load.timeouts;
  const commits = window.commits ? `${(window.committedEvents / window.commits).toFixed(1)} events/commit, ` : '';
  // What the derivation had not caught up with when the load stopped: the acknowledgements ran that far ahead.
  const backlog = window.derivationBacklog;
  const derivation =
    derived === null
      ? ''
      : `, ${derived ? 'derived' : 'NOT derived'}: ${fmt(backlog.events)} events left at the end (oldest ${backlog.lagSeconds.toFixed(1)} s)` +
        (caughtUpMs > 1000 ? `, caught up ${(caughtUpMs / 1000).toFixed(1)} s later` : '');
  console.log(
    `  [${target.key}] run ${round}/${runs} ${m.label}: ${fmt(load.eventsPerSec)} events/s, ` +
      `p50 ${load.latencyMs.p50.toFixed(2)} ms, p99 ${load.latencyMs.p99.toFixed(2)} ms, ` +
      `${commits}server CPU ${Math.round((window.cpuSeconds / window.seconds) * 100)}%, ` +
      `load generator CPU ${Math.round(load.cpuPercent)}%, other CPU ${Math.round(otherPercent)}%` +
      `${derivation}${bad ? `, ${bad} non-2xx/errors` : ''}${note}`,
  );
}

function fail(target: Target, error: unknown): void {
  target.dead = true;
  target.run.failed = error instanceof Error ? error.message : String(error);
  console.error(`  [${target.key}] failed: ${error instanceof Error ? error.stack : String(error)}`);
}

/** Warm-up per server, then `runs` rounds: each measurement on every server that measures it, in turn. */
async function measureRounds(targets: readonly Target[]): Promise<void> {
  for (const target of targets) await warmUp(target).catch((error: unknown) => fail(target, error));
  for (let round = 1; round <= runs; round++) {
    for (const m of MEASUREMENTS) {
      for (const target of targets) {
        if (target.dead || !target.measurements.includes(m)) continue;
        await measureOnce(target, m, round).catch((error: unknown) => fail(target, error));
      }
    }
  }
}

async function comparisonTarget(key: 'baseline' | 'noop', label: string, server: ForkedServer, list: Measurement[]): Promise<Target> {
  const run: StorageRun = { storage: { key, label }, facts: server.facts, http: {}, raw: {} };
  console.log(`\n--- ${label} ---\n  ${server.facts}`);
  return {
    key,
    baseUrl: server.baseUrl,
    measurements: list,
    run,
    ledger: emptyLedger(),
    scrape: async () => server.snapshot(),
    finish: () => server.stop(),
  };
}

/** Storage settings first, so BENCH_SERVER_ENV cannot point hookd at another database. */
function withServerEnv(db: FreshDatabase): FreshDatabase {
  return { ...db, env: { ...serverEnv, ...db.env } };
}

/** BENCH_RULES=1: every event the load sends belongs to a team whose 50 rules run on it. */
const withRules = process.env.BENCH_RULES === '1';

async function saveBenchRules(baseUrl: string): Promise<void> {
  const res = await fetch(`${baseUrl}/teams/bench/configuration`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ configuration: { claims: { sources: ['claude-code'] }, rules: benchRules() } }),
  });
  if (!res.ok) throw new Error(`saving the bench rules: ${res.status} ${await res.text()}`);
}

/** hookd on a fresh database of the storage (history comes later, per size); finishing stops it, checks the store and drops the database. */
async function hookdTarget(storage: BenchStorage, run: StorageRun, list: Measurement[]): Promise<Target> {
  const db = withServerEnv(await storage.freshDatabase());
  const cpuProfileDir = profile ? `${RESULTS_DIR}profiles/${storage.key}-${stamp}` : undefined;
  if (cpuProfileDir) mkdirSync(cpuProfileDir, { recursive: true });
  const server = await startHookdServer(cpuProfileDir ? { env: db.env, cpuProfileDir } : { env: db.env }).catch(async (error: unknown) => {
    await db.dispose();
    throw error;
  });
  const ledger = emptyLedger();
  const finish = async () => {
    try {
      await server.stop();
      if (cpuProfileDir) console.log(`  [${storage.key}] server CPU profile written to ${cpuProfileDir}`);
      // The server is gone: whatever the store holds now is what it committed.
      const runtime = await openBenchRuntime(db.env, false);
      try {
        run.check = await checkStore(runtime, ledger);
        console.log(`  [${storage.key}] store check: ${run.check.summary}`);
      } finally {
        await runtime.services.close();
      }
    } finally {
      await db.dispose();
    }
  };
  try {
    if (withRules) await saveBenchRules(server.baseUrl);
  } catch (error) {
    await finish();
    throw error;
  }
  return {
    key: storage.key,
    baseUrl: server.baseUrl,
    measurements: list,
    run,
    ledger,
    scrape: async () => parsePrometheus(await server.prometheus()),
    settle: () => settleDerivation(server.baseUrl),
    finish,
    ...(historySizes
      ? {
          history: historyLoader({
            baseUrl: server.baseUrl,
            env: db.env,
            ledger,
            run,
            largest: historySizes.at(-1)!,
            now: startedAt.getTime(),
            log: (line) => console.log(`  [${storage.key}] ${line}`),
          }),
        }
      : {}),
  };
}

async function measureRaw(storage: BenchStorage, run: StorageRun): Promise<void> {
  const db = withServerEnv(await storage.freshDatabase());
  try {
    // One runtime as `serve` opens it, one writing SQLite on this thread: the bare storage.
    const asServer = await openBenchRuntime(db.env, true);
    const direct = await openBenchRuntime(db.env, false).catch(async (error: unknown) => {
      await asServer.services.close();
      throw error;
    });
    try {
      const pool = normalisedPool(asServer, rawEvents);
      for (let round = 1; round <= runs; round++) {
        for (const mode of RAW_MODES) {
          const note = await quieten();
          const tag = `${mode.key}-${round}-${randomBytes(3).toString('hex')}`;
          const figure = await measureRawMode(mode.asServer ? asServer : direct, pool, mode.key, tag, rawSeconds);
          (run.raw[mode.key] ??= []).push(figure);
          console.log(
            `  [${storage.key}] run ${round}/${runs} without HTTP, ${mode.label}: ${fmt(figure.eventsPerSec)} events/s ` +
              `(${fmt(figure.events)} events in ${figure.seconds.toFixed(1)} s, ${(figure.events / figure.commits).toFixed(1)} events/commit, ` +
              `other CPU ${Math.round(figure.otherCpuPercent)}%)${note}`,
          );
        }
      }
    } finally {
      await direct.services.close();
      await asServer.services.close();
    }
  } finally {
    await db.dispose();
  }
}

const roundsLine = (targets: readonly Target[], at = '') =>
  `\n--- ${at}${runs} round(s), each measurement on ${targets.map((t) => t.key).join(', ')} in turn ---`;

/** The rounds; with BENCH_HISTORY once per size, after topping every hookd store up to it, one after another. */
async function measureAll(targets: readonly Target[]): Promise<void> {
  if (!historySizes) {
    console.log(roundsLine(targets));
    await measureRounds(targets);
    return;
  }
  for (const [i, size] of historySizes.entries()) {
    const label = historyLabel(size);
    const hookd = targets.filter((t) => t.history && !t.dead);
    console.log(`\n--- history ${label}: topping up ${hookd.map((t) => t.key).join(', ')} to ${fmt(size)} events ---`);
    for (const target of hookd) await target.history!.loadTo(size).catch((error: unknown) => fail(target, error));
    const turn = targets.filter((t) => !t.dead && (i === 0 || t.history));
    if (i === 0 || turn.some((t) => t.history)) {
      console.log(roundsLine(turn, `history ${label}: `));
      await measureRounds(turn);
    }
  }
}

const failure = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Every server up, the rounds, every server down (store checks), then the raw runs per storage. */
async function benchAll(storages: readonly BenchStorage[]): Promise<StorageRun[]> {
  const targets: Target[] = [];
  const prepared: { storage: BenchStorage; run: StorageRun }[] = [];
  const storageRuns: StorageRun[] = [];
  const comparisonList = MEASUREMENTS.filter(
    (m) => BASELINE_MEASUREMENTS.includes(m.key) && storages.some((s) => hookdMeasurements(s.key).includes(m)),
  );
  try {
    try {
      if (withBaseline && comparisonList.length) {
        targets.push(await comparisonTarget('baseline', BASELINE_LABEL, await startBaselineServer(), comparisonList));
      }
      if (withNoop && comparisonList.length) {
        targets.push(await comparisonTarget('noop', NOOP_LABEL, await startNoopServer(), comparisonList));
      }
      for (const storage of storages) {
        const run: StorageRun = { storage: { key: storage.key, label: storage.label }, facts: '', http: {}, raw: {} };
        storageRuns.push(run);
        console.log(`\n--- ${storage.label} ---`);
        try {
          const skipped = await storage.prepare();
          if (skipped) {
            run.skipped = skipped;
            console.log(`  skipped: ${skipped}`);
            continue;
          }
          prepared.push({ storage, run });
          run.facts = await storage.describe();
          console.log(`  ${run.facts}`);
          const list = hookdMeasurements(storage.key);
          if (list.length) targets.push(await hookdTarget(storage, run, list));
        } catch (error) {
          run.failed = failure(error);
          console.error(`  [${storage.key}] failed: ${error instanceof Error ? error.stack : String(error)}`);
        }
      }
      if (targets.length) await measureAll(targets);
    } finally {
      for (const target of targets) {
        await target.finish().catch((error: unknown) => {
          target.run.failed ??= failure(error);
          console.error(`  [${target.key}] failed: ${error instanceof Error ? error.stack : String(error)}`);
        });
      }
    }
    for (const { storage, run } of prepared) {
      if (!rawWanted || run.failed) continue;
      console.log(`\n--- ${storage.label}, without HTTP ---`);
      await measureRaw(storage, run).catch((error: unknown) => {
        run.failed = failure(error);
        console.error(`  [${storage.key}] failed: ${error instanceof Error ? error.stack : String(error)}`);
      });
    }
  } finally {
    for (const { storage } of prepared) await storage.release();
  }
  return [...targets.filter((t) => !storageRuns.includes(t.run)).map((t) => t.run), ...storageRuns];
}

async function main(): Promise<number> {
  installCleanupHandlers();
  const facts = machineFacts();
  const eventBytes = averageEventBytes(bodyTemplates({ eventsPerRequest: 1, variants: 64 }), 13);
  const header = {
    durationS,
    rawSeconds,
    runs,
    warmupS,
    rawEvents,
    eventBytes,
    startedAt,
    loadGenerator: generator.description,
    rules: withRules,
    history: historySizes ?? null,
  };
  console.log(printHeader(facts, header));
  if (Object.keys(serverEnv).length) console.log(`hookd settings from BENCH_SERVER_ENV: ${JSON.stringify(serverEnv)}`);

  const storages = benchStorages().filter((s) => !only || only.includes(s.key));
  if (storages.length === 0) throw new Error(`BENCH_STORAGES matched none of sqlite-full, sqlite-normal, postgres`);
  const storageRuns = await benchAll(storages);

  const settings: RunSettings = {
    ...header,
    quietWaitS: (QUIET_BUDGET_MS - quietBudgetMs) / 1000,
    serverEnv,
    elapsedS: (Date.now() - startedAt.getTime()) / 1000,
  };
  const summaries = storageRuns.map(summariseStorage);
  const baseline = summaries.find((s) => s.key === 'baseline');
  for (const summary of summaries) console.log(storageTable(summary, settings, facts, baseline));
  const floors = evaluateFloors(summaries);
  const judged = historySizes ? `; at the first history size, ${fmt(historySizes[0]!)} events, only` : '';
  console.log(`\nFloors (medians; derived = every run's derivation kept up${judged}):\n${floorsTable(floors)}`);

  const markdown = markdownReport(summaries, floors, facts, settings);
  mkdirSync(RESULTS_DIR, { recursive: true });
  // A partial or tuned run must not overwrite the day's full, default one.
  const partial = only || onlyMeasurements || Object.keys(serverEnv).length > 0 || withRules || !withBaseline || historySizes;
  const base = `${RESULTS_DIR}ingest-${startedAt.toISOString().slice(0, 10)}${partial ? `-partial-${stamp.slice(11)}` : ''}`;
  writeFileSync(`${base}.md`, markdown);
  writeFileSync(`${base}.json`, JSON.stringify({ facts, settings, summaries, floors, runs: storageRuns.map(withoutRefs) }, null, 2));
  console.log(`\n${markdown}`);
  console.log(`Written: ${base}.md and ${base}.json`);

  const broken = summaries.some((s) => s.failed || (s.check && !s.check.ok));
  return broken ? 1 : 0;
}

/** The per-request id lists only matter for the store check; the JSON file does without them. */
function withoutRefs(run: StorageRun): StorageRun {
  const strip = (runs: HttpRuns) => {
    const http: HttpRuns = {};
    for (const [key, runsOf] of Object.entries(runs)) {
      http[key as keyof HttpRuns] = runsOf.map((r) => ({ ...r, load: { ...r.load, unanswered: [], refused: [] } }));
    }
    return http;
  };
  return {
    ...run,
    http: strip(run.http),
    ...(run.history ? { history: run.history.map((stage) => ({ ...stage, http: strip(stage.http) })) } : {}),
  };
}

runBench(main);
