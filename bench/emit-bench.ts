// npm run bench:emit — wall time of one `hookd emit` (what a Claude Code command hook costs
// the agent when it waits for it), next to a bare `node -e 0` on the same pinned Node, in the
// same run; then what the agent really waits for per hook, for each way of installing
// (bench/agent-hook-harness.ts), and a CPU profile of a waiting emit (bench/emit-profile.ts).
//   BENCH_RUNS=n          runs per variant (default 200); variants take turns, one run each,
//                         so whatever else the machine does meanwhile hits them all alike
//   BENCH_QUIET_WAIT=s    wait up to this long for the machine to go quiet first (default 10; 0: no)
//   BENCH_PROFILE_RUNS=n  profiled runs per target (default 30; 0: no profile)
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  destroyHttpAgent,
  type HookVariant,
  hookVariant,
  type InstallWay,
  installClaudeCode,
  OBSERVE_EVENT,
  WAITING_EVENT,
} from './agent-hook-harness.ts';
import { cleanupAll, installCleanupHandlers, onCleanup } from './cleanup.ts';
import { formatProfiles, PROFILE_WARMUP_RUNS, type ProfileTarget, profileEmits, SAMPLE_INTERVAL_US } from './emit-profile.ts';
import { type HookdServer, startHookdServer } from './hookd-server.ts';
import { machineFacts } from './machine-facts.ts';
import { machineWindow, readCpuTimes, waitForQuiet } from './machine-load.ts';
import { clockTicksPerSecond, processCpuMs, processRunTimeMs, reapedChildrenCpuMs } from './process-cpu.ts';
import { quantile } from './quantile.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NODE = join(ROOT, 'node_modules/node/bin/node');
const HOOKD_BIN = join(ROOT, 'bin/hookd');
const MAIN = join(ROOT, 'dist/cli/main.js');
const BUNDLE = join(ROOT, 'dist/emit-bundle.js');
const RESULTS_DIR = join(ROOT, 'bench/results');
const FLOOR_MS = 30;
/** How long an observe-only hook installed the default way may hold the agent, p50. */
const HOLD_FLOOR_MS = 5;
const WARMUP_RUNS = 5;
/** A server's own CPU, measured this long before the runs and again after, is not charged to the hooks. */
const SERVER_IDLE_MS = 3000;
/** After the last run, for the passes a server runs after its commits. */
const SERVER_SETTLE_MS = 1000;

const runs = positiveInt('BENCH_RUNS', 200);
const quietWaitS = process.env.BENCH_QUIET_WAIT === '0' ? 0 : positiveInt('BENCH_QUIET_WAIT', 10);
const profileRuns = process.env.BENCH_PROFILE_RUNS === '0' ? 0 : positiveInt('BENCH_PROFILE_RUNS', 30);

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer (got "${raw}")`);
  return value;
}

interface Variant {
  key: string;
  label: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  /** An emit: must exit 0 and print nothing, or the run counts as an error. */
  emit: boolean;
  home?: string;
  times: number[];
  /** CPU of the run's process, summed over the timed runs, ms. */
  cpuMs: number;
  errors: string[];
}

// Real payloads from the recorded Claude Code session, one per hook event.
const FIXTURE = join(ROOT, 'test/fixtures/claude-code/session-fix-rounding.jsonl');
const fixtureLines = readFileSync(FIXTURE, 'utf8').split('\n');
function fixturePayload(event: string): Record<string, unknown> {
  const line = fixtureLines.find((l) => l.includes(`"hook_event_name": "${event}"`) || l.includes(`"hook_event_name":"${event}"`));
  if (!line) throw new Error(`${FIXTURE} has no ${event} event`);
  return JSON.parse(line) as Record<string, unknown>;
}
const SESSION = 'bench-emit-session';
const payload = JSON.stringify({ ...fixturePayload('PostToolUse'), session_id: SESSION });

/** Spawns one run with the payload on stdin and resolves with its wall time in ms. */
function runOnce(variant: Variant): Promise<number> {
  return new Promise((resolve) => {
    const cpuBefore = reapedChildrenCpuMs();
    const started = performance.now();
    const child = spawn(variant.command, variant.args, { env: { PATH: process.env.PATH ?? '', ...variant.env } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdin.on('error', () => {}); // bare node may exit before reading stdin
    child.stdin.end(payload);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      variant.cpuMs += reapedChildrenCpuMs() - cpuBefore;
      if (variant.emit && (code !== 0 || output !== '')) variant.errors.push(`exit ${code}: ${output.slice(0, 300)}`);
      resolve(ms);
    });
  });
}

const stats = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    mean: times.reduce((a, b) => a + b, 0) / times.length,
    min: sorted[0]!,
  };
};

function tempHome(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `hookd-bench-emit-${name}-`));
  onCleanup(`temp dir ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function storedEvents(dbPath: string, session = SESSION): number {
  if (!existsSync(dbPath)) return 0;
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM events WHERE session_id = ?').get(session) as { n: number }).n;
  } finally {
    db.close();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `'...'` for /bin/sh, as install quotes its paths. */
const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

interface Way {
  way: InstallWay;
  /** The server the hooks of this way post to, started for this way alone so its CPU is theirs. */
  server?: HookdServer;
  serverHome?: string;
  /** HOOKD_HOME of its command hooks. */
  home: string;
  settings?: Record<string, unknown>;
  skipped?: string;
}

/** Each way of installing, run for real; a way install does not accept (yet) is skipped with its reason. */
async function installWays(): Promise<Way[]> {
  const specs: { key: InstallWay['key']; option?: string }[] = [
    { key: 'default' },
    { key: 'url', option: '--url' },
    { key: 'http', option: '--http' },
  ];
  const ways: Way[] = [];
  for (const { key, option } of specs) {
    const serverHome = option ? tempHome(`server-${key}`) : undefined;
    const server = serverHome ? await startHookdServer({ env: { HOOKD_HOME: serverHome } }) : undefined;
    const way: InstallWay = {
      key,
      label: option ? `${option} URL` : '(default)',
      args: option && server ? [option, server.baseUrl] : [],
    };
    const installed = installClaudeCode(HOOKD_BIN, way, tempHome(`project-${key}`), tempHome(`install-home-${key}`));
    if ('skipped' in installed) {
      // --url is the newest way; the others must work.
      if (key !== 'url') throw new Error(installed.skipped);
      await server?.stop();
      ways.push({ way, home: '', skipped: installed.skipped });
      continue;
    }
    ways.push({ way, server, serverHome, home: tempHome(`hooks-${key}`), settings: installed.settings });
  }
  return ways;
}

async function main(): Promise<void> {
  installCleanupHandlers();
  if (!existsSync(MAIN)) throw new Error('dist/ is missing: run `npm run build` first');
  const facts = machineFacts();
  const directHome = tempHome('direct');
  const installedHome = tempHome('installed');
  const httpHome = tempHome('http');
  const installedHttpHome = tempHome('installed-http');
  const serverHome = tempHome('server');
  const server = await startHookdServer({ env: { HOOKD_HOME: serverHome } });

  const variant = (
    key: string,
    label: string,
    command: string,
    args: string[],
    env: Record<string, string> = {},
    home?: string,
  ): Variant => ({
    key,
    label,
    command,
    args,
    env: home ? { ...env, HOOKD_HOME: home } : env,
    emit: home !== undefined,
    home,
    times: [],
    cpuMs: 0,
    errors: [],
  });
  const bare = variant('bare', `node -e 0 (pinned Node ${facts.node})`, NODE, ['-e', '0']);
  const variants = [
    bare,
    variant('sqlite', 'bin/hookd emit -> SQLite file', HOOKD_BIN, ['emit'], {}, directHome),
    variant('http', 'bin/hookd emit -> hookd serve (HTTP)', HOOKD_BIN, ['emit'], { HOOKD_URL: server.baseUrl }, httpHome),
    // The command a hook installed by `hookd install claude-code` runs: the pinned Node on
    // main.js, without bin/hookd's shell wrapper (and here without the hook's /bin/sh).
    variant('installed', 'node dist/cli/main.js emit -> SQLite file', NODE, [MAIN, 'emit'], {}, installedHome),
    variant(
      'installed-http',
      'node dist/cli/main.js emit -> hookd serve (HTTP)',
      NODE,
      [MAIN, 'emit'],
      { HOOKD_URL: server.baseUrl },
      installedHttpHome,
    ),
  ];

  // What the agent waits for: the hooks install writes, for an observe-only event and a waiting one.
  const ways = await installWays();
  const hooks: HookVariant[] = ways.flatMap(({ way, server: wayServer, serverHome: wayServerHome, home, settings }) => {
    if (!settings) return [];
    const database = join(wayServerHome ?? home, 'hookd.db');
    return [OBSERVE_EVENT, WAITING_EVENT].map((event) =>
      hookVariant({ way, settings, event, payload: fixturePayload(event), home, cwd: ROOT, database, server: wayServer }),
    );
  });
  const wayServers = ways.flatMap((w) => (w.server ? [w.server] : []));

  for (let i = 0; i < WARMUP_RUNS; i++) {
    for (const v of variants) await runOnce(v);
    for (const h of hooks) await h.run(false);
  }
  for (const v of [...variants, ...hooks]) {
    v.errors.length = 0;
    v.cpuMs = 0;
  }
  const quiet = quietWaitS > 0 ? await waitForQuiet(25, quietWaitS * 1000) : null;
  // What the servers burn on their own (their timers and loops), so it is not charged to the hooks.
  const idle = { ms: 0, cpu: wayServers.map(() => 0) };
  const measureIdle = async () => {
    if (!wayServers.length) return;
    const from = { at: performance.now(), cpu: wayServers.map((s) => processRunTimeMs(s.pid)) };
    await sleep(SERVER_IDLE_MS);
    idle.ms += performance.now() - from.at;
    wayServers.forEach((s, i) => (idle.cpu[i]! += processRunTimeMs(s.pid) - from.cpu[i]!));
  };
  await measureIdle();

  const startedAt = new Date();
  const cpuBefore = readCpuTimes();
  const serversBefore = { at: performance.now(), cpu: wayServers.map((s) => processCpuMs(s.pid)) };
  for (let i = 0; i < runs; i++) {
    for (const v of variants) v.times.push(await runOnce(v));
    for (const h of hooks) await h.run(true);
  }
  const window = machineWindow(cpuBefore, readCpuTimes());
  destroyHttpAgent();
  await sleep(SERVER_SETTLE_MS);
  const serversAfter = { at: performance.now(), cpu: wayServers.map((s) => processCpuMs(s.pid)) };
  await measureIdle();
  const idleMsPerMs = idle.cpu.map((ms) => ms / idle.ms);
  const serverCpuPerHook = new Map<HookdServer, number>();
  wayServers.forEach((s, i) => {
    const used = serversAfter.cpu[i]! - serversBefore.cpu[i]! - idleMsPerMs[i]! * (serversAfter.at - serversBefore.at);
    serverCpuPerHook.set(s, used / (hooks.filter((h) => h.server === s).length * runs));
  });

  // A waiting emit as the default install runs it (its Stop hook), profiled, to the local file and to a server.
  const profiled = profileRuns > 0 ? await profileWaitingEmit(hooks, { server, home: serverHome }) : null;

  await server.stop();
  for (const s of wayServers) await s.stop();

  // Every emit and every hook must have stored its event, once, and complained about nothing.
  const expected = WARMUP_RUNS + runs;
  const stores = [
    { what: 'SQLite file of bin/hookd emit', stored: storedEvents(join(directHome, 'hookd.db')), expected },
    { what: 'SQLite file of node dist/cli/main.js emit', stored: storedEvents(join(installedHome, 'hookd.db')), expected },
    { what: 'server (both HTTP variants)', stored: storedEvents(join(serverHome, 'hookd.db')), expected: 2 * expected },
    ...hooks.map((h) => ({ what: `${h.way.label} ${h.event} hook`, stored: storedEvents(h.database, h.session), expected })),
    ...(profiled?.targets ?? [])
      .filter((t) => t.database)
      .map((t) => ({
        what: `profiled ${t.target.label}`,
        stored: storedEvents(t.database!, t.session),
        expected: PROFILE_WARMUP_RUNS + profileRuns,
      })),
  ];
  const homes = [
    ...variants.filter((v) => v.emit).map((v) => ({ label: v.label, home: v.home! })),
    ...hooks.filter((h) => h.home).map((h) => ({ label: `${h.way.label} ${h.event} hook`, home: h.home! })),
    ...(profiled?.targets ?? [])
      .filter((t) => t.target.emit && t.target.env.HOOKD_HOME)
      .map((t) => ({ label: `profiled ${t.target.label}`, home: t.target.env.HOOKD_HOME! })),
  ];
  const problems = [
    ...stores.filter((s) => s.stored !== s.expected).map((s) => `${s.what}: ${s.stored} events stored, ${s.expected} emitted`),
    ...[...new Map(homes.map((h) => [h.home, h])).values()].flatMap(({ label, home }) =>
      existsSync(join(home, 'emit.log')) ? [`${label}: emit.log: ${readFileSync(join(home, 'emit.log'), 'utf8').slice(0, 300)}`] : [],
    ),
    ...[...variants.filter((v) => v.emit), ...hooks.map((h) => ({ ...h, label: `${h.way.label} ${h.event} hook` }))].flatMap((v) =>
      v.errors.length ? [`${v.label}: ${v.errors.length} runs failed, first: ${v.errors[0]}`] : [],
    ),
    ...(profiled?.results ?? []).flatMap((r) =>
      r.errors.length ? [`profiled ${r.target.label}: ${r.errors.length} runs failed, first: ${r.errors[0]}`] : [],
    ),
  ];

  const bareP50 = stats(bare.times).p50;
  const f = (n: number) => n.toFixed(1);
  /** The first `text` columns are left-aligned, the figures after them right-aligned. */
  const table = (header: string[], rows: string[][], text = 1) => {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => (i < text ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
    return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  };
  const emitRows = variants.map((v) => {
    const s = stats(v.times);
    return [v.label, f(s.p50), f(s.p95), f(s.mean), f(s.min), v === bare ? '' : `+${f(s.p50 - bareP50)}`, f(v.cpuMs / runs)];
  });
  const floor = variants
    .filter((v) => v.emit)
    .map((v) => {
      const over = stats(v.times).p50 - bareP50;
      return `  ${over <= FLOOR_MS ? 'PASS' : 'FAIL'}  ${v.label}: p50 ${f(over)} ms above bare Node`;
    });

  const hookRows = hooks.map((h) => {
    const sorted = [...h.held].sort((a, b) => a - b);
    const toExit = h.toExit.length
      ? f(
          quantile(
            [...h.toExit].sort((a, b) => a - b),
            0.5,
          ),
        )
      : '';
    const serverCpu = h.server ? serverCpuPerHook.get(h.server) : undefined;
    return [
      h.way.label,
      h.event,
      h.kind === 'http' ? 'http' : `command${h.async ? ', async' : ''}`,
      f(quantile(sorted, 0.5)),
      f(quantile(sorted, 0.99)),
      toExit,
      h.kind === 'command' ? f(h.cpuMs / runs) : '',
      serverCpu === undefined ? '' : f(serverCpu),
    ];
  });
  const observed = hooks.find((h) => h.way.key === 'default' && h.event === OBSERVE_EVENT)!;
  const observedP50 = quantile(
    [...observed.held].sort((a, b) => a - b),
    0.5,
  );
  const holdFloor = `  ${observedP50 <= HOLD_FLOOR_MS ? 'PASS' : 'FAIL'}  ${observed.event} hook installed the default way (${observed.async ? 'async' : 'waited for'}): held p50 ${f(observedP50)} ms`;
  const idleNote = wayServers.map((s, i) => `${ways.find((w) => w.server === s)!.way.label} ${f(idleMsPerMs[i]! * 1000)} ms/s`).join(', ');
  // What was run, as install wrote it, with this checkout's path shortened.
  const entries = hooks.map((h) => {
    const env = Object.keys(h.settingsEnv).length ? `; settings env ${JSON.stringify(h.settingsEnv)}` : '';
    return `  ${h.way.label} ${h.event}: ${JSON.stringify(h.entry).replaceAll(ROOT.replace(/\/$/, ''), '.')}${env}`;
  });

  const report = [
    `hookd emit: wall time of one run, spawn to exit, ${runs} runs per variant taking turns (after ${WARMUP_RUNS} warm-up runs each)`,
    `machine: ${facts.cores} cores ${facts.cpuModel}, ${facts.os}, Node ${facts.node}, fdatasync ${f(facts.fdatasyncMs)} ms, revision ${facts.revision}`,
    `load: average ${facts.loadAverage} before; whole machine ${Math.round(window.busyPercent)}% busy (of ${facts.cores * 100}%) during the runs` +
      (quiet ? `; waited ${f(quiet.waitedMs / 1000)} s for quiet` : ''),
    'payload: a ~1 KB PostToolUse hook event; SQLite synchronous=FULL (one fsync per emit); the server is `hookd serve` on its own SQLite file',
    '',
    ...table(['variant', 'p50 ms', 'p95 ms', 'mean ms', 'min ms', 'p50 over bare', 'CPU ms'], emitRows),
    '',
    `floor: emit p50 at most ${FLOOR_MS} ms above bare Node's p50`,
    ...floor,
    '',
    `what the agent waits for: the hooks \`hookd install claude-code --project DIR [option]\` wrote to DIR/.claude/settings.json,`,
    `run as Claude Code runs them, taking turns with the variants above (${runs} runs each; ${OBSERVE_EVENT} with its payload, ${WAITING_EVENT} with its own)`,
    '',
    ...table(['install', 'event', 'hook', 'held p50 ms', 'held p99 ms', 'spawn->exit p50 ms', 'hook CPU ms', 'server CPU ms'], hookRows),
    `for scale: bare \`node -e 0\` p50 ${f(bareP50)} ms, CPU ${f(bare.cpuMs / runs)} ms`,
    ...ways.filter((w) => w.skipped).map((w) => `skipped ${w.way.label}: ${w.skipped}`),
    'the entries run:',
    ...entries,
    "held: command hook, /bin/sh -c COMMAND with the settings' env: spawn to exit, or when async until started with its payload written",
    '  (the run still waits for the exit); http hook: request over a kept-alive connection to the whole reply (200 {}).',
    `CPU per hook: command hooks, the bench's reaped children's CPU (/proc/self/stat cutime+cstime, ${clockTicksPerSecond()} ticks/s) after`,
    '  each run minus before it, summed per variant, / runs; servers (one per way, its own database), /proc/PID/stat utime+stime',
    `  over the runs and ${SERVER_SETTLE_MS / 1000} s after, less its idle rate over the same time (${idleNote || 'none'}; measured from`,
    `  /proc/PID/task/*/schedstat for ${SERVER_IDLE_MS / 1000} s before the runs and ${SERVER_IDLE_MS / 1000} s after), / hooks it received.`,
    `floor: an observe-only hook installed the default way holds the agent at most ${HOLD_FLOOR_MS} ms p50`,
    holdFloor,
    ...(profiled ? ['', ...profiled.lines] : []),
    problems.length
      ? `\nPROBLEMS:\n${problems.map((p) => `  ${p}`).join('\n')}`
      : `\nevery emit and hook exited 0 (or answered 200 {}), printed nothing and stored its event once (${expected} per variant)`,
  ].join('\n');
  console.log(report);

  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = startedAt.toISOString().slice(0, 19).replace(/:/g, '');
  const base = join(RESULTS_DIR, `emit-${stamp}`);
  writeFileSync(`${base}.txt`, `${report}\n`);
  writeFileSync(
    `${base}.json`,
    JSON.stringify(
      {
        startedAt,
        runs,
        facts,
        busyPercent: window.busyPercent,
        variants: variants.map((v) => ({ key: v.key, label: v.label, ...stats(v.times), cpuMs: v.cpuMs / runs, times: v.times })),
        hooks: hooks.map((h) => ({
          key: h.key,
          install: h.way.label,
          event: h.event,
          kind: h.kind,
          async: h.async,
          heldP50: quantile(
            [...h.held].sort((a, b) => a - b),
            0.5,
          ),
          heldP99: quantile(
            [...h.held].sort((a, b) => a - b),
            0.99,
          ),
          cpuMs: h.kind === 'command' ? h.cpuMs / runs : null,
          serverCpuMs: h.server ? serverCpuPerHook.get(h.server) : null,
          held: h.held,
          toExit: h.toExit,
        })),
        skipped: ways.filter((w) => w.skipped).map((w) => ({ install: w.way.label, reason: w.skipped })),
        profile: profiled?.results.map((r) => ({
          target: r.target.label,
          runs: r.runs,
          wallMs: r.wallMs,
          phases: r.phases,
          categories: Object.fromEntries([...r.categories].map(([k, ms]) => [k, ms / r.runs])),
        })),
        problems,
      },
      null,
      2,
    ),
  );
  console.log(`\nwritten to ${base}.txt and .json`);
  if (problems.length || floor.some((l) => l.includes('FAIL')) || holdFloor.includes('FAIL')) process.exitCode = 1;
}

interface ProfiledTarget {
  target: ProfileTarget;
  database?: string;
  session: string;
}

/**
 * The default install's Stop hook (a hook the agent waits for), profiled to the local file
 * and to a server (the --url install's Stop hook, or the same command with HOOKD_URL where
 * install has no --url), with a bare `node -e 0` profiled the same way for scale.
 */
async function profileWaitingEmit(hooks: HookVariant[], fallback: { server: HookdServer; home: string }) {
  const stop = (key: InstallWay['key']) => hooks.find((h) => h.way.key === key && h.event === WAITING_EVENT && h.command);
  const local = stop('default');
  if (!local) throw new Error(`the default install's ${WAITING_EVENT} hook is not a command`);
  const remote = stop('url');
  const session = (key: string) => `bench-profile-${key}`;
  const body = (key: string) => JSON.stringify({ ...fixturePayload(WAITING_EVENT), session_id: session(key) });
  const base = { PATH: process.env.PATH ?? '', CLAUDE_PROJECT_DIR: ROOT };
  const fallbackHome = tempHome('profile-server');
  const targets: ProfiledTarget[] = [
    {
      target: { key: 'bare', label: 'node -e 0', command: `${shellQuote(NODE)} -e 0`, env: base, cwd: ROOT, payload: '', emit: false },
      session: '',
    },
    {
      target: {
        key: 'sqlite',
        label: 'Stop -> SQLite file',
        command: local.command!,
        env: local.env,
        cwd: ROOT,
        payload: body('sqlite'),
        emit: true,
      },
      database: local.database,
      session: session('sqlite'),
    },
    remote
      ? {
          target: {
            key: 'server',
            label: 'Stop -> server (--url)',
            command: remote.command!,
            env: remote.env,
            cwd: ROOT,
            payload: body('server'),
            emit: true,
          },
          database: remote.database,
          session: session('server'),
        }
      : {
          target: {
            key: 'server',
            label: 'Stop -> server (HOOKD_URL)',
            command: local.command!,
            env: { ...local.env, HOOKD_HOME: fallbackHome, HOOKD_URL: fallback.server.baseUrl },
            cwd: ROOT,
            payload: body('server'),
            emit: true,
          },
          database: join(fallback.home, 'hookd.db'),
          session: session('server'),
        },
  ];
  const results = await profileEmits(
    targets.map((t) => t.target),
    profileRuns,
    tempHome('profiles'),
    BUNDLE,
  );
  const lines = [
    `profile of a waiting hookd emit (the default install's ${WAITING_EVENT} hook, as above): ${profileRuns} runs per target taking turns`,
    `(after ${PROFILE_WARMUP_RUNS} warm-up runs each), --cpu-prof through NODE_OPTIONS sampling every ${SAMPLE_INTERVAL_US} µs; profiling slows every run down`,
    ...formatProfiles(results),
  ];
  return { results, lines, targets };
}

try {
  await main();
} finally {
  await cleanupAll();
}
