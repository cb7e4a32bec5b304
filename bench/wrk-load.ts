// Drives one measurement with wrk (C, epoll, from Debian's packages). On 2 cores the load
// generator takes CPU from the server: wrk needs a fraction of what autocannon (a Node
// process) needs per request, so more of the machine is left to hookd.
// wrk cannot tell which request a reply answers, so its ledger holds counts, not ids: the
// store check then bounds the stored events instead of looking each request up.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onCleanup } from './cleanup.ts';
import { averageEventBytes, bodyTemplates } from './event-bodies.ts';
import type { LoadResult, LoadSpec } from './load.ts';

const SCRIPT = fileURLToPath(new URL('./wrk-script.lua', import.meta.url));
const RESULT_MARK = 'WRK_RESULT ';

interface WrkSummary {
  sent: number;
  completed: number;
  non2xx: number;
  connect: number;
  read: number;
  write: number;
  timeout: number;
  durationUs: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** A Lua long string that cannot be closed early by the text it holds. */
function luaString(text: string): string {
  let level = 1;
  while (text.includes(`]${'='.repeat(level)}]`)) level++;
  const eq = '='.repeat(level);
  // A newline straight after the opening bracket would be dropped by Lua; bodies have none first.
  return `[${eq}[${text}]${eq}]`;
}

/** The children's CPU time the bench process has collected (utime+stime of reaped children). */
function reapedChildrenCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 16 and 17 (cutime, cstime), counted after the ")" that ends the name; USER_HZ is 100.
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

export function runWrk(spec: LoadSpec): Promise<LoadResult> {
  const templates = bodyTemplates({ eventsPerRequest: spec.eventsPerRequest, variants: spec.variants });
  const dir = mkdtempSync(join(tmpdir(), 'hookd-wrk-'));
  const templatesFile = join(dir, 'templates.lua');
  writeFileSync(templatesFile, `return {\n${templates.map((t) => `{${t.pieces.map(luaString).join(',')}}`).join(',\n')}\n}\n`);
  const path = spec.eventsPerRequest === 1 ? '/events' : '/events/batch';
  const args = [
    '-t1',
    `-c${spec.connections}`,
    `-d${spec.durationS}s`,
    '--timeout',
    '30s',
    '-s',
    SCRIPT,
    spec.baseUrl,
    '--',
    templatesFile,
    spec.tagPrefix,
    path,
  ];
  const cpuBefore = reapedChildrenCpuSeconds();
  const wallBefore = performance.now();
  return new Promise<LoadResult>((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const unregister = onCleanup(`wrk ${child.pid}`, () => {
      child.kill('SIGKILL');
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => {
      unregister();
      reject(error);
    });
    child.on('close', (code) => {
      unregister();
      rmSync(dir, { recursive: true, force: true });
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARK));
      if (code !== 0 || !line) {
        reject(new Error(`wrk exited with code ${code}: ${(stderr || stdout).trim().slice(0, 2000)}`));
        return;
      }
      const wallMs = performance.now() - wallBefore;
      const cpuSeconds = reapedChildrenCpuSeconds() - cpuBefore;
      resolve(
        toLoadResult(JSON.parse(line.slice(RESULT_MARK.length)) as WrkSummary, spec, {
          cpuSeconds,
          wallMs,
          bodyBytes: averageEventBytes(templates) * spec.eventsPerRequest,
        }),
      );
    });
  });
}

function toLoadResult(w: WrkSummary, spec: LoadSpec, extra: { cpuSeconds: number; wallMs: number; bodyBytes: number }): LoadResult {
  const durationS = w.durationUs / 1e6;
  const acked = w.completed - w.non2xx;
  const ackedEvents = acked * spec.eventsPerRequest;
  const unanswered = Math.max(0, w.sent - w.completed);
  const ms = (us: number) => us / 1000;
  return {
    acked,
    ackedEvents,
    statusCounts: { '2xx': acked, ...(w.non2xx ? { 'non-2xx': w.non2xx } : {}) },
    errors: w.connect + w.read + w.write,
    timeouts: w.timeout,
    durationS,
    requestsPerSec: acked / durationS,
    eventsPerSec: ackedEvents / durationS,
    // wrk's histogram holds every completed request, non-2xx included (the bench expects none).
    latencyMs: { p50: ms(w.p50), p90: ms(w.p90), p99: ms(w.p99), max: ms(w.max), mean: ms(w.mean) },
    unanswered: [],
    unansweredUnidentifiedEvents: unanswered * spec.eventsPerRequest,
    refused: [],
    refusedTotal: w.non2xx,
    cpuPercent: ((extra.cpuSeconds * 1000) / extra.wallMs) * 100,
    processCpuSeconds: extra.cpuSeconds,
    bodyBytes: extra.bodyBytes,
  };
}
