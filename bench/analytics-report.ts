// The analytics benchmark's Markdown: what was loaded and how fast, then per storage one
// table of endpoint latencies against the p95 floor.
import type { DatasetFacts } from './analytics-data.ts';
import type { LoadFigures } from './analytics-load.ts';
import type { CpuShare } from './cpu-share.ts';
import { P95_FLOOR_MS, type EndpointTiming } from './analytics-queries.ts';
import type { MachineFacts } from './machine-facts.ts';
import { machineLine } from './report.ts';

export interface AnalyticsRun {
  key: string;
  label: string;
  facts: string;
  skipped?: string;
  failed?: string;
  dataset?: DatasetFacts;
  load?: LoadFigures & { cpu: CpuShare };
  catchUpSeconds?: number;
  check?: { ok: boolean; summary: string };
  queryCpu?: CpuShare;
  timings: EndpointTiming[];
  /** PostgreSQL: the plans of the slowest endpoints, as Markdown. */
  plans?: string;
}

export interface AnalyticsSettings {
  events: number;
  batchSize: number;
  concurrency: number;
  warmup: number;
  queries: number;
  seed: number;
  startedAt: Date;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));
const pct = (n: number) => (Number.isFinite(n) ? `${Math.round(n)}%` : '-');
const cpu = (c: CpuShare) =>
  `server ${pct(c.server)}, benchmark process ${pct(c.driver)}, rest of the machine ${pct(c.other)} (of one core)`;

export function timingTable(timings: readonly EndpointTiming[]): string {
  const lines = [`| endpoint | p50 ms | p95 ms | rows returned | KB | p95 <= ${P95_FLOOR_MS} ms |`, '|---|---:|---:|---:|---:|---|'];
  for (const t of timings) {
    const name = `\`GET ${t.path}\`${t.reference ? ' (existing route, for reference)' : ''}`;
    if (!t.result) {
      lines.push(`| ${name} | - | - | - | - | not available (${t.unavailable?.replace(/\|/g, '\\|')}) |`);
      continue;
    }
    const r = t.result;
    lines.push(
      `| ${name} | ${ms(r.p50)} | ${ms(r.p95)} | ${r.rows} | ${(r.bytes / 1024).toFixed(1)} | ${r.p95 <= P95_FLOOR_MS ? 'PASS' : '**FAIL**'} |`,
    );
  }
  return lines.join('\n');
}

export function loadLine(run: AnalyticsRun): string {
  const l = run.load!;
  return (
    `${int(l.events)} events in ${l.seconds.toFixed(1)} s: ${int(l.events / l.seconds)} events/s ` +
    `(${int(l.requests)} requests, ${l.retries} retried after 503, ${l.duplicates} duplicates; CPU ${cpu(l.cpu)})`
  );
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
      `posted to \`POST /events/batch\` in batches of ${s.batchSize}, ${s.concurrency} requests in flight, to \`bin/hookd serve\` on a fresh database with default settings.`,
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
    if (run.load) lines.push(`- Load: ${loadLine(run)}.`);
    if (run.catchUpSeconds !== undefined)
      lines.push(`- Derivation caught up ${run.catchUpSeconds.toFixed(1)} s after the last batch was acknowledged.`);
    if (run.check) lines.push(`- Check: ${run.check.ok ? '' : '**MISMATCH** '}${run.check.summary}.`);
    if (run.queryCpu) lines.push(`- CPU during the queries: ${cpu(run.queryCpu)}.`);
    if (run.failed) lines.push(`- **Failed**: ${run.failed}`);
    lines.push('');
    if (run.timings.length) lines.push(timingTable(run.timings), '');
    if (run.plans) lines.push(run.plans);
  }
  lines.push(`Whole run: ${Math.round(elapsedS)} s.`, '');
  return lines.join('\n');
}
