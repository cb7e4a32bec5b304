// Turns the medians into a table per storage for the terminal and one markdown document
// (ready for docs/performance.md) with the floors' verdicts.
import type { FloorResult } from './floors.ts';
import type { MachineFacts } from './machine-facts.ts';
import { MEASUREMENTS } from './measurements.ts';
import { RAW_MODES } from './raw-insert.ts';
import type { StorageSummary } from './summary.ts';

export interface RunSettings {
  durationS: number;
  rawSeconds: number;
  /** Spent waiting for other processes on the machine to go quiet. */
  quietWaitS: number;
  /** hookd settings from BENCH_SERVER_ENV; empty means defaults. */
  serverEnv: Record<string, string>;
  runs: number;
  warmupS: number;
  rawEvents: number;
  eventBytes: number;
  /** Which load generator drove the HTTP runs, described for the reader. */
  loadGenerator: string;
  startedAt: Date;
  elapsedS: number;
}

const rate = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '-' : Math.round(n).toLocaleString('en-US'));
const ms = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '-' : n < 10 ? n.toFixed(2) : n.toFixed(1));
const pct = (n: number) => (Number.isFinite(n) ? `${Math.round(n)}%` : '-');
const dec = (n: number) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString('en-US')) : '-');

function table(header: string[], rows: string[][], alignLeft = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < alignLeft ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function besideTheServer(facts: MachineFacts, loadGenerator: string, key?: string): string {
  const base =
    `the load generator, ${loadGenerator}, runs on the same ${facts.cores} cores as the server` +
    ' (the benchmark driver itself only waits and scrapes /metrics)';
  return key === 'postgres' ? `${base}; PostgreSQL's own processes share those cores too` : base;
}

export function storageTable(summary: StorageSummary, settings: RunSettings, facts: MachineFacts): string {
  const out: string[] = [`\n=== ${summary.label} ===`, summary.facts];
  if (summary.skipped) return [...out, `SKIPPED: ${summary.skipped}`].join('\n');
  if (summary.failed) out.push(`FAILED: ${summary.failed}`);
  out.push(
    `HTTP, median of ${settings.runs} runs x ${settings.durationS} s; beside the server: ${besideTheServer(facts, settings.loadGenerator, summary.key)}`,
  );
  const rows = MEASUREMENTS.flatMap(({ key, label }) => {
    const s = summary.http[key];
    if (!s) return [];
    return [
      [
        label,
        rate(s.eventsPerSec),
        rate(s.requestsPerSec),
        ms(s.p50),
        ms(s.p99),
        dec(s.eventsPerCommit),
        rate(s.commitsPerSec),
        ms(s.commitMs),
        pct(s.serverCpuPercent),
        dec(s.serverCpuMicrosPerEvent),
        pct(s.gcPercent),
        pct(s.loadCpuPercent),
        pct(s.otherCpuPercent),
        String(s.non2xx + s.errors),
      ],
    ];
  });
  out.push(
    table(
      [
        'measurement',
        'events/s',
        'req/s',
        'p50 ms',
        'p99 ms',
        'ev/commit',
        'commits/s',
        'commit ms',
        'srv CPU',
        'CPU µs/ev',
        'GC',
        'load CPU',
        'other CPU',
        'non-2xx+err',
      ],
      rows,
    ),
  );
  const rawRows = RAW_MODES.flatMap(({ key, label }) => {
    const s = summary.raw[key];
    return s ? [[label, rate(s.eventsPerSec), dec(s.eventsPerCommit), rate(s.events), pct(s.otherCpuPercent)]] : [];
  });
  if (rawRows.length) {
    out.push(
      `\nWithout HTTP, in the driver process, server stopped (the ceiling; writeGroups = the storage alone, ` +
        `ingest.store = group commit as in serve): median of ${settings.runs} runs, ` +
        `each up to ${rate(settings.rawEvents)} events or ${settings.rawSeconds} s`,
      table(['path', 'events/s', 'ev/commit', 'events', 'other CPU'], rawRows),
    );
  }
  if (summary.key !== 'http-baseline') {
    out.push('\nCommit sizes (share of commits, median run):');
    for (const { key, label } of MEASUREMENTS) {
      const s = summary.http[key];
      if (s) out.push(`  ${label}: ${s.commitSizes}`);
    }
  }
  if (summary.check) out.push(`\nStore check: ${summary.check.summary}`);
  return out.join('\n');
}

export function floorsTable(results: readonly FloorResult[]): string {
  return table(
    ['storage', 'floor', 'measured (median)', 'result'],
    results.map((r) => [r.floor.storage, r.floor.text, r.measured, r.verdict]),
    3,
  );
}

export function machineLine(facts: MachineFacts): string {
  return (
    `${facts.cores} cores (${facts.cpuModel}), ${facts.memoryGiB} GiB RAM, ${facts.os}, Node ${facts.node}; ` +
    `one 4 KiB write + fdatasync in the temp dir takes ${ms(facts.fdatasyncMs)} ms; load average at start ${facts.loadAverage}`
  );
}

export function printHeader(facts: MachineFacts, settings: Omit<RunSettings, 'elapsedS' | 'quietWaitS' | 'serverEnv'>): string {
  return [
    `hookd ingest benchmark, code at ${facts.revision}`,
    `Machine: ${machineLine(facts)}`,
    `Beside the server: ${besideTheServer(facts, settings.loadGenerator)}.`,
    `Each measurement: ${settings.runs} runs x ${settings.durationS} s after ${settings.warmupS} s of warm-up; ` +
      `bodies are Claude Code PostToolUse-like events of ~${settings.eventBytes} bytes, every event id unique.`,
  ].join('\n');
}

export function markdownReport(
  summaries: readonly StorageSummary[],
  floors: readonly FloorResult[],
  facts: MachineFacts,
  settings: RunSettings,
): string {
  const ran = summaries.filter((s) => !s.skipped);
  const SHORT = {
    'http-baseline': 'baseline: bare Fastify, no storage',
    'sqlite-full': 'SQLite, synchronous=FULL',
    'sqlite-normal': 'SQLite, synchronous=NORMAL',
    postgres: 'PostgreSQL, durable',
  };
  const short = (s: StorageSummary) => SHORT[s.key];
  const lines: string[] = [
    `## Ingest benchmark, ${settings.startedAt.toISOString().slice(0, 10)}`,
    '',
    `- Code: hookd at ${facts.revision}.`,
    `- Machine: ${machineLine(facts)}.`,
    `- Load: a load generator in its own process on the same machine: ${besideTheServer(facts, settings.loadGenerator)}. ` +
      'hookd runs as its own process (`bin/hookd serve`), fresh database per storage, ' +
      (Object.keys(settings.serverEnv).length
        ? `with ${Object.entries(settings.serverEnv)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')}.`
        : 'default settings.'),
    `- Each HTTP figure is the median of ${settings.runs} runs of ${settings.durationS} s (after ${settings.warmupS} s warm-up); ` +
      `bodies are ~${settings.eventBytes}-byte Claude Code PostToolUse-like events with unique event ids; latency is per request.`,
    `- "Without HTTP" rows write the same rows in-process with the server stopped (up to ${rate(settings.rawEvents)} events or ${settings.rawSeconds} s per run): the ceiling. ` +
      'writeGroups rows are the storage alone (SQLite on the calling thread, one transaction per call, one call at a time); ' +
      "ingest.store rows go through group commit (and SQLite's write thread) exactly as in `serve`, without HTTP.",
    '- The baseline column is a bare Fastify (same version) that parses the same bodies and answers 202 without storing: ' +
      'the most any Fastify-based ingest can reach on this machine with this load generator.',
    '',
    `| measurement | ${ran.map(short).join(' | ')} |`,
    `|---|${ran.map(() => '---:').join('|')}|`,
  ];
  for (const { key, label } of MEASUREMENTS) {
    const cells = ran.map((s) => {
      const h = s.http[key];
      return h ? `${rate(h.eventsPerSec)} events/s (p50 ${ms(h.p50)} ms, p99 ${ms(h.p99)} ms)` : '-';
    });
    lines.push(`| ${label} | ${cells.join(' | ')} |`);
  }
  for (const { key, label } of RAW_MODES) {
    const cells = ran.map((s) => (s.raw[key] ? `${rate(s.raw[key].eventsPerSec)} events/s` : '-'));
    lines.push(`| without HTTP: ${label} | ${cells.join(' | ')} |`);
  }
  lines.push('', '### Floors', '', '| storage | floor | measured (median) | result |', '|---|---|---|---|');
  for (const r of floors) lines.push(`| ${r.floor.storage} | ${r.floor.text} | ${r.measured} | **${r.verdict}** |`);
  lines.push('', '### Server-side detail (medians)', '');
  lines.push(
    '| storage | measurement | events/commit | commits/s | mean commit ms | server CPU | server CPU µs/event | GC | load generator CPU | other CPU on the machine |',
  );
  lines.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const s of ran) {
    for (const { key, label } of MEASUREMENTS) {
      const h = s.http[key];
      if (!h) continue;
      lines.push(
        `| ${short(s)} | ${label} | ${dec(h.eventsPerCommit)} | ${rate(h.commitsPerSec)} | ${ms(h.commitMs)} | ${pct(h.serverCpuPercent)} | ${dec(h.serverCpuMicrosPerEvent)} | ${pct(h.gcPercent)} | ${pct(h.loadCpuPercent)} | ${pct(h.otherCpuPercent)} |`,
      );
    }
  }
  lines.push('', '### Stored = acknowledged', '');
  for (const s of summaries) {
    if (s.key === 'http-baseline') continue;
    if (s.skipped) lines.push(`- ${s.label}: skipped (${s.skipped})`);
    else lines.push(`- ${s.label}: ${s.check ? s.check.summary : 'not checked'}${s.failed ? `; run failed: ${s.failed}` : ''}`);
    lines.push(`  - ${s.facts}`);
  }
  lines.push(
    '',
    `Whole run: ${Math.round(settings.elapsedS)} s, of which ${Math.round(settings.quietWaitS)} s waiting for other processes on the machine to go quiet. ` +
      '"Other CPU" is CPU the rest of the machine used during a run, in % of one core: high values mean the figures are depressed by a neighbour.',
    '',
  );
  return lines.join('\n');
}
