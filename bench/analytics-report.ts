// The analytics benchmark's Markdown: what was loaded and how fast (slice by slice), then
// per storage the facts of each checkpoint and one table of endpoint latencies with a
// column pair per checkpoint, against the p95 floor.
import { checkpointLabel, LOAD_RATE_FLOOR, type CheckpointResult, type LoadSlice } from './analytics-checkpoints.ts';
import type { DatasetFacts } from './analytics-data.ts';
import type { LoadFigures } from './analytics-load.ts';
import type { CpuShare } from './cpu-share.ts';
import { mib } from './database-size.ts';
import { P95_FLOOR_MS } from './analytics-queries.ts';
import type { MachineFacts } from './machine-facts.ts';
import { machineLine } from './report.ts';

export interface AnalyticsRun {
  key: string;
  label: string;
  facts: string;
  skipped?: string;
  failed?: string;
  dataset?: DatasetFacts;
  load?: LoadFigures & { cpu: CpuShare; sliceSize: number; slices: LoadSlice[] };
  checkpoints: CheckpointResult[];
  check?: { ok: boolean; summary: string };
  /** PostgreSQL: the plans of the slowest endpoints at the last checkpoint, as Markdown. */
  plans?: string;
}

export interface AnalyticsSettings {
  events: number;
  /** Where the load pauses to measure, ascending, the last being `events`. */
  checkpoints: number[];
  batchSize: number;
  concurrency: number;
  warmup: number;
  queries: number;
  seed: number;
  order: 'time' | 'shuffled';
  startedAt: Date;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));
const pct = (n: number) => (Number.isFinite(n) ? `${Math.round(n)}%` : '-');
const cpu = (c: CpuShare) =>
  `server ${pct(c.server)}, benchmark process ${pct(c.driver)}, rest of the machine ${pct(c.other)} (of one core)`;
const cell = (text: string) => text.replace(/\|/g, '\\|');

/** One row per endpoint, a p50 and a p95 column per checkpoint; rows and KB as at the last. */
export function timingTable(checkpoints: readonly CheckpointResult[]): string {
  const labels = checkpoints.map((c) => checkpointLabel(c.target));
  const last = checkpoints.at(-1);
  const lines = [
    `| endpoint | ${labels.map((l) => `${l} p50 ms | ${l} p95 ms`).join(' | ')} | rows | KB | p95 <= ${P95_FLOOR_MS} ms at every checkpoint |`,
    `|---|${labels.map(() => '---:|---:|').join('')}---:|---:|---|`,
  ];
  (last?.timings ?? []).forEach((t, i) => {
    const row = checkpoints.map((c) => c.timings[i]);
    const name = `\`GET ${t.name}\`${t.reference ? ' (existing route, for reference)' : ''}`;
    const figures = row.map((r) => (r?.result ? `${ms(r.result.p50)} | ${ms(r.result.p95)}` : '- | -'));
    const missing = row.find((r) => !r?.result);
    const failing = row.flatMap((r, j) => (r?.result && r.result.p95 > P95_FLOOR_MS ? [labels[j]] : []));
    const verdict = missing
      ? `not available (${cell(missing.unavailable ?? 'not timed')})`
      : failing.length
        ? `**FAIL** at ${failing.join(', ')}`
        : 'PASS';
    const r = t.result;
    lines.push(`| ${name} | ${figures.join(' | ')} | ${r ? cell(r.rows) : '-'} | ${r ? (r.bytes / 1024).toFixed(1) : '-'} | ${verdict} |`);
  });
  return lines.join('\n');
}

/** What each checkpoint measured beside the latencies. */
export function checkpointTable(checkpoints: readonly CheckpointResult[]): string {
  const lines = [
    '| checkpoint | events | sessions | derivation caught up | on disk | bytes per event | made of | server CPU during the queries |',
    '|---|---:|---:|---:|---:|---:|---|---:|',
  ];
  for (const c of checkpoints) {
    const size = c.size
      ? `${mib(c.size.bytes)} | ${int(c.size.bytes / c.events)} | ${cell(c.size.detail)}`
      : `- | - | ${cell(c.sizeError ?? '')}`;
    lines.push(
      `| ${checkpointLabel(c.target)} | ${int(c.events)} | ${int(c.sessions)} | ${c.catchUpSeconds.toFixed(1)} s | ${size} | ${pct(c.queryCpu.server)} |`,
    );
  }
  return lines.join('\n');
}

/** Which project and session `{project}` and `{session}` stood for at each checkpoint. */
function parametersLine(checkpoints: readonly CheckpointResult[]): string {
  const each = checkpoints.map((c) => `${checkpointLabel(c.target)}: ${c.project} and ${c.sessionId} (${c.sessionEvents} events)`);
  return `\`{project}\` is the busiest project and \`{session}\` the largest session loaded by then; ${each.join('; ')}. Rows and KB as at the last checkpoint.`;
}

export function loadLine(run: AnalyticsRun): string {
  const l = run.load!;
  return (
    `${int(l.events)} events in ${l.seconds.toFixed(1)} s: ${int(l.events / l.seconds)} events/s ` +
    `(checkpoint pauses, ${l.pausedSeconds.toFixed(1)} s, left out; ${int(l.requests)} requests, ${l.retries} retried after 503, ` +
    `${l.duplicates} duplicates; CPU ${cpu(l.cpu)})`
  );
}

/** The rate of every slice, then the last against the first and the floor. */
export function slicesLine(run: AnalyticsRun): string {
  const l = run.load!;
  const rates = l.slices.map((s) => s.events / s.seconds);
  const first = rates[0] ?? NaN;
  const last = rates.at(-1) ?? NaN;
  const ratio = last / first;
  // The floor speaks of millions: a smaller slice's first rate includes the burst admitted
  // before the derivation backlog reaches HOOKD_DERIVE_BACKLOG_MAX.
  const verdict =
    l.sliceSize < 1_000_000
      ? 'not judged (the floor is on slices of a million)'
      : `${ratio >= LOAD_RATE_FLOOR ? 'PASS' : '**FAIL**'} (floor ${pct(LOAD_RATE_FLOOR * 100)})`;
  return (
    `Load rate per slice of ${int(l.sliceSize)} events, pauses excluded: ${rates.map(int).join(', ')} events/s; ` +
    `first ${int(first)}, last ${int(last)}, last = ${pct(ratio * 100)} of first: ${verdict}`
  );
}

/** The console's closing summary of one storage; the Markdown has the same tables. */
export function runSummary(run: AnalyticsRun): string {
  const lines = [run.label];
  if (run.load) lines.push(`Load: ${loadLine(run)}.`, `${slicesLine(run)}.`);
  if (run.checkpoints.length) lines.push('', checkpointTable(run.checkpoints), '', timingTable(run.checkpoints));
  if (run.check && !run.check.ok) lines.push('', `CHECK FAILED: ${run.check.summary}`);
  if (run.failed) lines.push('', `Failed: ${run.failed}`);
  return lines.join('\n');
}

function dataLine(d: DatasetFacts): string {
  const top = [...d.sessionsByProject].sort((a, b) => b[1] - a[1])[0];
  return (
    `${int(d.events)} events in ${int(d.sessions)} sessions (${(d.events / d.sessions).toFixed(1)} events each, ` +
    `${int(d.endedSessions)} ended explicitly), ${int(d.toolCalls)} tool calls of which ${int(d.failedToolCalls)} failed ` +
    `(${((d.failedToolCalls / d.toolCalls) * 100).toFixed(1)}%), ${int(d.subagents)} subagents; ` +
    `largest project ${top?.[0]} (${int(top?.[1] ?? 0)} sessions); largest session ${d.heaviestSession.id} (${d.heaviestSession.events} events)`
  );
}

export function markdownReport(runs: readonly AnalyticsRun[], machine: MachineFacts, s: AnalyticsSettings, elapsedS: number): string {
  const lines = [
    `## Analytics benchmark, ${s.startedAt.toISOString().slice(0, 10)}`,
    '',
    `- Code: hookd at ${machine.revision}.`,
    `- Machine: ${machineLine(machine)}.`,
    `- Data: about ${int(s.events)} synthetic Claude Code hook events (seed ${s.seed}) over the 30 days before the run, ` +
      (s.order === 'time'
        ? 'sessions in start order with UUIDv7 event ids (as live hooks and an import deliver them), '
        : 'sessions at random start times with random (v4) event ids, ') +
      `posted to \`POST /events/batch\` in batches of ${s.batchSize}, ${s.concurrency} requests in flight, to \`bin/hookd serve\` on a fresh database with default settings.`,
    `- Checkpoints at ${s.checkpoints.map(checkpointLabel).join(', ')} events: the load stops sending, waits for the batches in flight, ` +
      'waits for derivation to catch up, reads the size on disk and times every endpoint, then goes on; the pauses are not in the load rates. ' +
      'GET /sessions is checked against the whole generated data after the last checkpoint, so every checkpoint is timed the same way.',
    '- Beside the server: this benchmark process on the same cores (it generates and posts the events during the load, ' +
      "and is one sequential HTTP client during the queries); with PostgreSQL, the database's own processes too. " +
      'The CPU shares below say how much each took.',
    `- Each endpoint: ${s.warmup} warm-up requests, then ${s.queries} timed ones, one at a time; latency as the client sees it ` +
      '(request sent to last byte read, loopback HTTP included), nearest-rank percentiles. "Not available" is a non-2xx reply.',
    '',
  ];
  for (const run of runs) {
    lines.push(`### ${run.label}`, '', run.facts ? `${run.facts}.` : '', '');
    if (run.skipped) {
      lines.push(`Skipped: ${run.skipped}`, '');
      continue;
    }
    if (run.dataset) lines.push(`- Data: ${dataLine(run.dataset)}.`);
    if (run.load) lines.push(`- Load: ${loadLine(run)}.`, `- ${slicesLine(run)}.`);
    if (run.check) lines.push(`- Check: ${run.check.ok ? '' : '**MISMATCH** '}${run.check.summary}.`);
    const last = run.checkpoints.at(-1);
    if (last) lines.push(`- CPU during the queries at the last checkpoint: ${cpu(last.queryCpu)}.`);
    if (run.failed) lines.push(`- **Failed**: ${run.failed}`);
    lines.push('');
    if (run.checkpoints.length) {
      lines.push(checkpointTable(run.checkpoints), '', timingTable(run.checkpoints), '', parametersLine(run.checkpoints), '');
    }
    if (run.plans) lines.push(run.plans);
  }
  lines.push(`Whole run: ${Math.round(elapsedS)} s.`, '');
  return lines.join('\n');
}
