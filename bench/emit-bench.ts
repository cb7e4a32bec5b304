// npm run bench:emit — wall time of one `hookd emit` (what every Claude Code command hook
// costs the agent), next to a bare `node -e 0` on the same pinned Node, in the same run.
//   BENCH_RUNS=n        runs per variant (default 200); variants take turns, one run each,
//                       so whatever else the machine does meanwhile hits them all alike
//   BENCH_QUIET_WAIT=s  wait up to this long for the machine to go quiet first (default 10; 0: no)
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanupAll, installCleanupHandlers, onCleanup } from './cleanup.ts';
import { startHookdServer } from './hookd-server.ts';
import { machineFacts } from './machine-facts.ts';
import { machineWindow, readCpuTimes, waitForQuiet } from './machine-load.ts';
import { quantile } from './quantile.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NODE = join(ROOT, 'node_modules/node/bin/node');
const HOOKD_BIN = join(ROOT, 'bin/hookd');
const MAIN = join(ROOT, 'dist/cli/main.js');
const RESULTS_DIR = join(ROOT, 'bench/results');
const FLOOR_MS = 30;
const WARMUP_RUNS = 5;

const runs = positiveInt('BENCH_RUNS', 200);
const quietWaitS = process.env.BENCH_QUIET_WAIT === '0' ? 0 : positiveInt('BENCH_QUIET_WAIT', 10);

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
  errors: string[];
}

// A real PostToolUse payload (~1 KB) from the recorded Claude Code session.
const FIXTURE = join(ROOT, 'test/fixtures/claude-code/session-fix-rounding.jsonl');
const PAYLOAD = readFileSync(FIXTURE, 'utf8')
  .split('\n')
  .find((line) => line.includes('"PostToolUse"'))!;
const SESSION = 'bench-emit-session';
const payload = JSON.stringify({ ...(JSON.parse(PAYLOAD) as object), session_id: SESSION });

/** Spawns one run with the payload on stdin and resolves with its wall time in ms. */
function runOnce(variant: Variant): Promise<number> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(variant.command, variant.args, { env: { PATH: process.env.PATH ?? '', ...variant.env } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdin.on('error', () => {}); // bare node may exit before reading stdin
    child.stdin.end(payload);
    child.on('close', (code) => {
      const ms = performance.now() - started;
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

function storedEvents(dbPath: string): number {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM events WHERE session_id = ?').get(SESSION) as { n: number }).n;
  } finally {
    db.close();
  }
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
    errors: [],
  });
  const bare = variant('bare', `node -e 0 (pinned Node ${facts.node})`, NODE, ['-e', '0']);
  const variants = [
    bare,
    variant('sqlite', 'bin/hookd emit -> SQLite file', HOOKD_BIN, ['emit'], {}, directHome),
    variant('http', 'bin/hookd emit -> hookd serve (HTTP)', HOOKD_BIN, ['emit'], { HOOKD_URL: server.baseUrl }, httpHome),
    // What a hook installed by `hookd install claude-code` runs: the pinned Node on main.js,
    // without bin/hookd's shell wrapper.
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

  for (const v of variants) for (let i = 0; i < WARMUP_RUNS; i++) await runOnce(v);
  for (const v of variants) v.errors.length = 0;
  const quiet = quietWaitS > 0 ? await waitForQuiet(25, quietWaitS * 1000) : null;
  const startedAt = new Date();
  const cpuBefore = readCpuTimes();
  for (let i = 0; i < runs; i++) for (const v of variants) v.times.push(await runOnce(v));
  const window = machineWindow(cpuBefore, readCpuTimes());
  await server.stop();

  // Every emit must have stored its event, once, and complained about nothing.
  const expected = WARMUP_RUNS + runs;
  const stores = [
    { what: 'SQLite file of bin/hookd emit', stored: storedEvents(join(directHome, 'hookd.db')), expected },
    { what: 'SQLite file of node dist/cli/main.js emit', stored: storedEvents(join(installedHome, 'hookd.db')), expected },
    { what: 'server (both HTTP variants)', stored: storedEvents(join(serverHome, 'hookd.db')), expected: 2 * expected },
  ];
  const problems = [
    ...stores.filter((s) => s.stored !== s.expected).map((s) => `${s.what}: ${s.stored} events stored, ${s.expected} emitted`),
    ...variants
      .filter((v) => v.emit)
      .flatMap((v) => [
        ...(existsSync(join(v.home!, 'emit.log'))
          ? [`${v.label}: emit.log: ${readFileSync(join(v.home!, 'emit.log'), 'utf8').slice(0, 300)}`]
          : []),
        ...(v.errors.length ? [`${v.label}: ${v.errors.length} runs failed, first: ${v.errors[0]}`] : []),
      ]),
  ];

  const bareP50 = stats(bare.times).p50;
  const f = (n: number) => n.toFixed(1);
  const header = ['variant', 'p50 ms', 'p95 ms', 'mean ms', 'min ms', 'p50 over bare'];
  const rows = variants.map((v) => {
    const s = stats(v.times);
    return [v.label, f(s.p50), f(s.p95), f(s.mean), f(s.min), v === bare ? '' : `+${f(s.p50 - bareP50)}`];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const floor = variants
    .filter((v) => v.emit)
    .map((v) => {
      const over = stats(v.times).p50 - bareP50;
      return `  ${over <= FLOOR_MS ? 'PASS' : 'FAIL'}  ${v.label}: p50 ${f(over)} ms above bare Node`;
    });
  const report = [
    `hookd emit: wall time of one run, spawn to exit, ${runs} runs per variant taking turns (after ${WARMUP_RUNS} warm-up runs each)`,
    `machine: ${facts.cores} cores ${facts.cpuModel}, ${facts.os}, Node ${facts.node}, fdatasync ${f(facts.fdatasyncMs)} ms, revision ${facts.revision}`,
    `load: average ${facts.loadAverage} before; whole machine ${Math.round(window.busyPercent)}% busy (of ${facts.cores * 100}%) during the runs` +
      (quiet ? `; waited ${f(quiet.waitedMs / 1000)} s for quiet` : ''),
    'payload: a ~1 KB PostToolUse hook event; SQLite synchronous=FULL (one fsync per emit); the server is `hookd serve` on its own SQLite file',
    '',
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
    '',
    `floor: emit p50 at most ${FLOOR_MS} ms above bare Node's p50`,
    ...floor,
    problems.length
      ? `\nPROBLEMS:\n${problems.map((p) => `  ${p}`).join('\n')}`
      : `\nevery emit exited 0, printed nothing and stored its event once (${expected} per variant)`,
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
        variants: variants.map((v) => ({ key: v.key, label: v.label, ...stats(v.times), times: v.times })),
        problems,
      },
      null,
      2,
    ),
  );
  console.log(`\nwritten to ${base}.txt and .json`);
  if (problems.length || floor.some((l) => l.includes('FAIL'))) process.exitCode = 1;
}

try {
  await main();
} finally {
  await cleanupAll();
}
