// Where a waiting `hookd emit` spends its time, from V8 CPU profiles of real runs (the hook
// command as installed, --cpu-prof through NODE_OPTIONS), next to a bare `node -e 0`
// profiled the same way: wall-clock phases from the profile's timestamps (the same monotonic
// clock as this process's hrtime), and the sampled time by kind of work. Emit itself is not
// instrumented: timestamps inside it would change what is measured. Used by bench/emit-bench.ts.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { summariseProfile } from './cpu-profile-summary.ts';
import { quantile } from './quantile.ts';

/** Sampling interval, µs: finer than V8's default of 1 ms, which many of emit's steps are shorter than. */
export const SAMPLE_INTERVAL_US = 200;
export const PROFILE_WARMUP_RUNS = 3;
/** Kinds of work below this many ms per run in every target are summed in one row. */
const MIN_KIND_MS = 0.3;

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileTarget {
  key: string;
  label: string;
  /** A shell command, run as Claude Code runs a command hook: /bin/sh -c COMMAND. */
  command: string;
  env: Record<string, string>;
  cwd: string;
  /** On stdin. */
  payload: string;
  /** A hookd emit: must exit 0 and print nothing. */
  emit: boolean;
}

export const PHASES = [
  'spawn to profiler start (exec, Node bootstrap)',
  'profiler start-up (only when profiling)',
  'Node pre-execution, main.js and the bundle loaded',
  "emit's own work (the bundle running)",
  'profile end to exit (writing the profile, teardown)',
] as const;

export interface TargetProfile {
  target: ProfileTarget;
  runs: number;
  /** Profiled runs, spawn to exit, ms. */
  wallMs: number[];
  phases: number[][];
  /** Sampled ms by kind of work, summed over the runs (the profiler's start-up left out). */
  categories: Map<string, number>;
  self: Map<string, number>;
  inclusive: Map<string, number>;
  errors: string[];
}

/**
 * Maps a line of dist/emit-bundle.js to the source file it came from, by the `// src/...`
 * comment esbuild writes above each module; other dist files map to their own source.
 */
export function hookdModuleResolver(bundlePath: string): (url: string, lineNumber: number) => string | undefined {
  let starts: { line: number; module: string }[] = [];
  try {
    starts = readFileSync(bundlePath, 'utf8')
      .split('\n')
      .flatMap((text, i) => {
        const match = /^\/\/ (src\/\S+\.ts)$/.exec(text);
        return match ? [{ line: i + 1, module: match[1]! }] : [];
      });
  } catch {
    // No bundle (dist built by tsc alone): every hookd frame maps by its own path.
  }
  return (url, lineNumber) => {
    const dist = /\/dist\/(.+)\.js$/.exec(url);
    if (!dist) return undefined;
    if (dist[1] !== 'emit-bundle') return `src/${dist[1]}.ts`;
    let module = 'dist/emit-bundle.js';
    for (const start of starts) {
      if (start.line > lineNumber + 1) break;
      module = start.module;
    }
    return module;
  };
}

type ModuleOf = ReturnType<typeof hookdModuleResolver>;

/** The kind of work a sample was doing, from its stack (leaf first). */
function categoryOf(stack: CallFrame[], moduleOf: ModuleOf): string {
  const leaf = stack[0]!.functionName;
  if (leaf === '(garbage collector)') return 'GC';
  if (leaf === '(idle)') return 'idle: waiting (the server, a lock, I/O)';
  if (leaf === '(program)') return 'native code with no JS on the stack (V8, Node)';
  // Work inside Node's library counts as that library's, unless it was loading modules.
  let library: string | undefined;
  for (const frame of stack) {
    const { url } = frame;
    if (url.startsWith('node:internal/bootstrap/realm')) return 'loading Node builtins (node:sqlite, node:net, ...)';
    if (url.startsWith('node:internal/modules/')) return 'loading modules: resolve, read, compile, link';
    if (url.startsWith('node:internal/main/') || url.startsWith('node:internal/process/pre_execution') || url === 'node:internal/options')
      return 'Node pre-execution (every Node process)';
    const module = moduleOf(url, frame.lineNumber);
    if (module) {
      if (/^src\/db\/sqlite-/.test(module)) return sqliteCategory(stack, moduleOf);
      if (library) return library;
      return module === 'dist/emit-bundle.js' ? "hookd bundle: esbuild's module wrappers (__init, __export)" : `hookd ${module}`;
    }
    if (url.startsWith('node:')) library ??= nodeLibrary(url);
  }
  return library ?? '(native)';
}

function nodeLibrary(url: string): string {
  const name = url.replace(/^node:(internal\/)?/, '');
  if (/^(fs|fs\/)/.test(name)) return 'Node fs: synchronous calls';
  if (/^(net|dns|http|_http|stream_base_commons|streams\/|stream)/.test(name)) return 'Node net and streams (the request to the server)';
  if (/^(path|url)$/.test(name)) return 'Node path and URL helpers';
  return `Node ${name}`;
}

/**
 * node:sqlite's calls run native and show as the time of hookd's driver functions that make
 * them: named by the innermost such function (exec: BEGIN IMMEDIATE and COMMIT, the commit's
 * fsync included; close: the checkpoint of the WAL by the last connection).
 */
function sqliteCategory(stack: CallFrame[], moduleOf: ModuleOf): string {
  const names = stack
    .filter((frame) => /^src\/db\/sqlite-/.test(moduleOf(frame.url, frame.lineNumber) ?? ''))
    .map((frame) => frame.functionName)
    .filter((name) => name && name !== 'guard');
  const opening = stack.some((frame) => frame.functionName === 'setUpSqlite' || frame.functionName === 'openBuiltinSqlite');
  return `SQLite ${names[0] ?? 'driver'}${opening ? ', opening the file' : ''}`;
}

function add(map: Map<string, number>, key: string, ms: number): void {
  map.set(key, (map.get(key) ?? 0) + ms);
}

function analyse(profile: CpuProfile, spawnedUs: number, exitedUs: number, moduleOf: ModuleOf, into: TargetProfile): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stacks = new Map<number, CallFrame[]>();
  const stackOf = (id: number) => {
    let stack = stacks.get(id);
    if (!stack) {
      stack = [];
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) stack.push(byId.get(cur)!.callFrame);
      stacks.set(id, stack);
    }
    return stack;
  };
  // The first delta is the profiler getting ready (it is there for `node -e 0` alike), not the process's work.
  const firstSampleUs = profile.startTime + (profile.timeDeltas[0] ?? 0);
  let at = profile.startTime;
  let firstEmitUs: number | undefined;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    const stack = stackOf(id);
    if (firstEmitUs === undefined && stack.some((frame) => /\/dist\//.test(frame.url) && !frame.url.endsWith('/dist/cli/main.js')))
      firstEmitUs = at;
    if (i > 0) add(into.categories, categoryOf(stack, moduleOf), delta / 1000);
  });
  const emitStartUs = firstEmitUs ?? profile.endTime;
  const phases = [
    profile.startTime - spawnedUs,
    firstSampleUs - profile.startTime,
    emitStartUs - firstSampleUs,
    profile.endTime - emitStartUs,
    exitedUs - profile.endTime,
  ];
  phases.forEach((us, i) => into.phases[i]!.push(us / 1000));

  const summary = summariseProfile({ ...profile, timeDeltas: [0, ...profile.timeDeltas.slice(1)] }, Number.POSITIVE_INFINITY);
  const named = (name: string) =>
    name.replace(/dist\/emit-bundle\.js:(\d+)/, (whole, line: string) => {
      const module = moduleOf('/dist/emit-bundle.js', Number(line) - 1);
      return module ? `${module} (bundle line ${line})` : whole;
    });
  for (const [name, ms] of summary.bySelf) add(into.self, named(name), ms);
  for (const [name, ms] of summary.byInclusive) add(into.inclusive, named(name), ms);
}

function runProfiled(target: ProfileTarget, dir: string, name: string): Promise<{ spawnedUs: number; exitedUs: number; problem?: string }> {
  return new Promise((resolve) => {
    const env = {
      ...target.env,
      NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir} --cpu-prof-name=${name} --cpu-prof-interval=${SAMPLE_INTERVAL_US}`,
    };
    const spawnedUs = Number(process.hrtime.bigint() / 1000n);
    const child = spawn('/bin/sh', ['-c', target.command], { cwd: target.cwd, env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdin.on('error', () => {});
    child.stdin.end(target.payload);
    child.on('close', (code, signal) => {
      const exitedUs = Number(process.hrtime.bigint() / 1000n);
      const failed = code !== 0 || (target.emit && output !== '');
      resolve({ spawnedUs, exitedUs, problem: failed ? `exit ${code ?? signal}: ${output.slice(0, 300)}` : undefined });
    });
  });
}

/** Profiles every target `runs` times, taking turns like the timed runs, after a few warm-up runs each. */
export async function profileEmits(targets: ProfileTarget[], runs: number, dir: string, bundlePath: string): Promise<TargetProfile[]> {
  const moduleOf = hookdModuleResolver(bundlePath);
  const results = targets.map(
    (target): TargetProfile => ({
      target,
      runs,
      wallMs: [],
      phases: PHASES.map(() => []),
      categories: new Map(),
      self: new Map(),
      inclusive: new Map(),
      errors: [],
    }),
  );
  for (let i = -PROFILE_WARMUP_RUNS; i < runs; i++) {
    for (const result of results) {
      const name = `${result.target.key}-${i + PROFILE_WARMUP_RUNS}.cpuprofile`;
      const { spawnedUs, exitedUs, problem } = await runProfiled(result.target, dir, name);
      if (problem) result.errors.push(problem);
      const file = join(dir, name);
      if (i >= 0) {
        result.wallMs.push((exitedUs - spawnedUs) / 1000);
        try {
          analyse(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, spawnedUs, exitedUs, moduleOf, result);
        } catch (error) {
          result.errors.push(`profile ${name}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      rmSync(file, { force: true });
    }
  }
  return results;
}

/** The report's lines: phases (medians) and sampled time by kind (means), ms per run, targets side by side. */
export function formatProfiles(results: TargetProfile[], top = 12): string[] {
  const f = (n: number) => n.toFixed(1);
  const median = (values: number[]) =>
    quantile(
      [...values].sort((a, b) => a - b),
      0.5,
    );
  const table = (title: string, rows: [string, string[]][]) => {
    const header = [title, ...results.map((r) => r.target.label)];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map(([name, cells]) => (i === 0 ? name : cells[i - 1]!).length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
    return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(([name, cells]) => line([name, ...cells]))];
  };
  const phaseRows: [string, string[]][] = PHASES.map((phase, i) => [phase, results.map((r) => f(median(r.phases[i]!)))]);
  phaseRows.push(['spawn to exit, profiled (median)', results.map((r) => f(median(r.wallMs)))]);
  const kinds = new Map<string, number>();
  for (const r of results) for (const [kind, ms] of r.categories) kinds.set(kind, Math.max(kinds.get(kind) ?? 0, ms / r.runs));
  // The long tail of small kinds, in one row: it is the sum that matters there.
  const shown = [...kinds].filter(([, ms]) => ms >= MIN_KIND_MS).sort((a, b) => b[1] - a[1]);
  const tail = [...kinds.keys()].filter((kind) => (kinds.get(kind) ?? 0) < MIN_KIND_MS);
  const kindRows: [string, string[]][] = shown.map(([kind]) => [kind, results.map((r) => f((r.categories.get(kind) ?? 0) / r.runs))]);
  kindRows.push([
    `${tail.length} other kinds, each under ${MIN_KIND_MS} ms`,
    results.map((r) => f(tail.reduce((sum, kind) => sum + (r.categories.get(kind) ?? 0), 0) / r.runs)),
  ]);
  const sampled = results.map((r) => [...r.categories.values()].reduce((a, b) => a + b, 0) / r.runs);
  kindRows.push(['all sampled time', sampled.map(f)]);
  const ranked = (map: Map<string, number>, runs: number) =>
    [...map]
      .filter(([name]) => !/^\((program|idle|garbage collector)\)/.test(name))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => `  ${f(ms / runs).padStart(6)} ms  ${name}`);
  const emits = results.filter((r) => r.target.emit);
  return [
    "wall-clock phases, ms per run (median), from the profiles' timestamps:",
    ...table('phase', phaseRows),
    '',
    "sampled time by kind of work, ms per run (mean; the profiler's start-up left out):",
    ...table('kind', kindRows),
    ...emits.flatMap((r) => [
      '',
      `${r.target.label}: top functions by self time, ms per run`,
      ...ranked(r.self, r.runs),
      `${r.target.label}: top functions of hookd by inclusive time, ms per run`,
      ...ranked(new Map([...r.inclusive].filter(([name]) => /\b(src|dist)\//.test(name))), r.runs),
    ]),
  ];
}
