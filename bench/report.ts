// Turns the medians into a table per storage for the terminal and one markdown document
// (ready for docs/performance.md) with the floors' verdicts.
import type { FloorResult } from './floors.ts';
import type { MachineFacts } from './machine-facts.ts';
import { MEASUREMENTS, type MeasurementKey } from './measurements.ts';
import { RAW_MODES } from './raw-insert.ts';
import { historyMarkdown, historyTables } from './ingest-history-report.ts';
import { dec, derivedOf, ms, pct, ratio, rate, table } from './report-format.ts';
import { isHookd, type StorageSummary, type TargetKey } from './summary.ts';

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
  /** BENCH_RULES=1: a team's 50 rules ran on every event hookd was sent (not in the baselines). */
  rules: boolean;
  /** BENCH_HISTORY: the history sizes hookd was measured at, ascending; null for fresh databases. */
  history: number[] | null;
  startedAt: Date;
  elapsedS: number;
}

function durationNote(settings: Pick<RunSettings, 'durationS'>): string {
  const fixed = MEASUREMENTS.filter((m) => m.fixedDurationS !== undefined).map((m) => `${m.key} ${m.fixedDurationS} s`);
  return `${settings.durationS} s${fixed.length ? ` (${fixed.join(', ')})` : ''}`;
}

export function besideTheServer(facts: MachineFacts, loadGenerator: string, key?: string): string {
  const base =
    `the load generator, ${loadGenerator}, runs on the same ${facts.cores} cores as the server` +
    ' (the benchmark driver itself only waits and scrapes /metrics)';
  return key === 'postgres' ? `${base}; PostgreSQL's own processes share those cores too` : base;
}

export function storageTable(
  summary: StorageSummary,
  settings: RunSettings,
  facts: MachineFacts,
  baseline: StorageSummary | undefined,
): string {
  const out: string[] = [`\n=== ${summary.label} ===`, summary.facts];
  if (summary.skipped) return [...out, `SKIPPED: ${summary.skipped}`].join('\n');
  if (summary.failed) out.push(`FAILED: ${summary.failed}`);
  const first = summary.history?.[0];
  out.push(
    `HTTP, median of ${settings.runs} runs x ${durationNote(settings)}` +
      (first ? ` at the first history size, ${rate(first.target)} events` : '') +
      `; beside the server: ${besideTheServer(facts, settings.loadGenerator, summary.key)}`,
  );
  const rows = MEASUREMENTS.flatMap(({ key, label }) => {
    const s = summary.http[key];
    if (!s) return [];
    return [
      [
        label,
        rate(s.eventsPerSec),
        isHookd(summary.key) ? ratio(s, baseline, key) : '-',
        derivedOf(s),
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
        '× baseline',
        'derived',
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
  if (isHookd(summary.key)) {
    out.push('\nCommit sizes (share of commits, median run):');
    for (const { key, label } of MEASUREMENTS) {
      const s = summary.http[key];
      if (s) out.push(`  ${label}: ${s.commitSizes}`);
    }
  }
  if (summary.history) out.push(historyTables(summary, baseline));
  if (summary.check) out.push(`\nStore check: ${summary.check.summary}`);
  return out.join('\n');
}

export function floorsTable(results: readonly FloorResult[]): string {
  const notes = results.flatMap((r) => r.notes);
  return [
    table(
      ['storage', 'floor', 'measured (median)', 'derived', 'result'],
      results.map((r) => [r.floor.storage, r.text, r.measured, r.derived, r.verdict]),
      4,
    ),
    ...(notes.length
      ? ['', 'Runs that did not count (the derivation had not caught up when the load stopped):', ...notes.map((n) => `  ${n}`)]
      : []),
  ].join('\n');
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
    `Each measurement: ${settings.runs} runs x ${durationNote(settings)} after ${settings.warmupS} s of warm-up; ` +
      `bodies are Claude Code PostToolUse-like events of ~${settings.eventBytes} bytes, every event id unique.`,
    ...(settings.history
      ? [
          `History (BENCH_HISTORY): hookd measured with its store holding ${settings.history.map(rate).join(', then ')} events; ` +
            'the baseline at the first size only; the floors judge the first size only.',
        ]
      : []),
    ...(settings.rules
      ? ['Rules on (BENCH_RULES=1): a team whose 50 rules run on every event hookd is sent; the baselines have none.']
      : []),
  ].join('\n');
}

const SHORT: Record<TargetKey, string> = {
  baseline: 'baseline',
  noop: 'bare Fastify, no storage',
  'sqlite-full': 'SQLite, synchronous=FULL',
  'sqlite-normal': 'SQLite, synchronous=NORMAL',
  postgres: 'PostgreSQL, durable',
};

/** Rows of the per-storage tables: every measurement the floors and the comparison speak of, run or not. */
const STORAGE_ROWS: readonly MeasurementKey[] = ['single-10', 'single-50', 'batch-50', 'batch-100', 'batch-1000', 'sustained-100'];

function hookdTable(s: StorageSummary, baseline: StorageSummary | undefined): string[] {
  const keys = MEASUREMENTS.filter((m) => STORAGE_ROWS.includes(m.key) || s.http[m.key]);
  const lines = [
    `### ${s.label}`,
    '',
    s.facts,
    '',
    ...(s.history?.[0] ? [`At the first history size, ${rate(s.history[0].target)} events (the size the floors judge):`, ''] : []),
    '| measurement | events/s | p99 ms | derived (runs) | × baseline |',
    '|---|---:|---:|---:|---:|',
  ];
  for (const { key, label } of keys) {
    const h = s.http[key];
    lines.push(`| ${label} | ${rate(h?.eventsPerSec)} | ${ms(h?.p99)} | ${derivedOf(h)} | ${ratio(h, baseline, key)} |`);
  }
  if (s.history) lines.push('', ...historyMarkdown(s, baseline));
  const raw = RAW_MODES.filter(({ key }) => s.raw[key]);
  if (raw.length) {
    lines.push('', '| without HTTP | events/s | events/commit |', '|---|---:|---:|');
    for (const { key, label } of raw) lines.push(`| ${label} | ${rate(s.raw[key]!.eventsPerSec)} | ${dec(s.raw[key]!.eventsPerCommit)} |`);
  }
  if (s.failed) lines.push('', `Failed: ${s.failed}`);
  return [...lines, ''];
}

function comparisonTable(s: StorageSummary): string[] {
  const lines = [
    `### ${s.label}`,
    '',
    s.facts,
    '',
    '| measurement | events/s | p50 ms | p99 ms | server CPU |',
    '|---|---:|---:|---:|---:|',
  ];
  for (const { key, label } of MEASUREMENTS) {
    const h = s.http[key];
    if (h) lines.push(`| ${label} | ${rate(h.eventsPerSec)} | ${ms(h.p50)} | ${ms(h.p99)} | ${pct(h.serverCpuPercent)} |`);
  }
  if (s.failed) lines.push('', `Failed: ${s.failed}`);
  return [...lines, ''];
}

export function markdownReport(
  summaries: readonly StorageSummary[],
  floors: readonly FloorResult[],
  facts: MachineFacts,
  settings: RunSettings,
): string {
  const ran = summaries.filter((s) => !s.skipped);
  const baseline = ran.find((s) => s.key === 'baseline');
  const hookd = ran.filter((s) => isHookd(s.key));
  const lines: string[] = [
    `## Ingest benchmark, ${settings.startedAt.toISOString().slice(0, 10)}`,
    '',
    `- Code: hookd at ${facts.revision}.`,
    `- Machine: ${machineLine(facts)}.`,
    `- Load: a load generator in its own process on the same machine: ${besideTheServer(facts, settings.loadGenerator)}. ` +
      'hookd runs as its own process (`bin/hookd serve`), ' +
      (settings.history ? 'one database per storage, topped up with history before each history size, ' : 'fresh database per storage, ') +
      (Object.keys(settings.serverEnv).length
        ? `with ${Object.entries(settings.serverEnv)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')}.`
        : 'default settings.'),
    `- Each HTTP figure is the median of ${settings.runs} runs of ${durationNote(settings)} (after ${settings.warmupS} s warm-up); ` +
      `bodies are ~${settings.eventBytes}-byte Claude Code PostToolUse-like events with unique event ids; latency is per request.`,
    baseline
      ? `- ${baseline.label[0]!.toUpperCase()}${baseline.label.slice(1)}. It does what the fastest peer (a Bun observability server ` +
        "for Claude Code) does per event, on hookd's stack. " +
        'Every server runs from the start, and the runs alternate: each round runs each measurement on the baseline, then on each storage, ' +
        'so drift on the machine reaches them alike. "× baseline" is hookd\'s median over the baseline\'s on the same measurement.'
      : '- No baseline was measured (`BENCH_BASELINE=0`): floors relative to it are NOT RUN.',
    "- A run is **derived** when, as its load stopped, hookd had at most one second of that run's events left to derive into " +
      'sessions, tool calls and rollups, the oldest waiting under a second. Floors count only derived runs.',
    ...(settings.rules
      ? ['- **Rules on** (`BENCH_RULES=1`): a team whose 50 rules ran on every event hookd was sent; the baseline has no rules.']
      : []),
    ...(settings.history
      ? [
          `- **History** (\`BENCH_HISTORY=${settings.history.join(',')}\`): before each size's warm-up and rounds, every storage's store was ` +
            "topped up with realistic sessions (those of `bench:analytics`: time order, UUIDv7 ids) until it held that many acknowledged events, earlier sizes' runs included, " +
            'and its derivation had caught up. The baseline ran at the first size only; every size\'s "× baseline" is over it. ' +
            'The floors judge the first size only; the per-storage tables show it, and each size side by side below them. ' +
            '"Without HTTP" rows run on a fresh database.',
        ]
      : []),
    `- "Without HTTP" rows write the same rows in-process with the server stopped (up to ${rate(settings.rawEvents)} events or ${settings.rawSeconds} s per run): the ceiling. ` +
      'writeGroups rows are the storage alone (SQLite on the calling thread, one transaction per call, one call at a time); ' +
      "ingest.store rows go through group commit (and SQLite's write thread) exactly as in `serve`, without HTTP.",
    '',
  ];
  for (const s of hookd) lines.push(...hookdTable(s, baseline));
  for (const s of ran.filter((r) => !isHookd(r.key))) lines.push(...comparisonTable(s));

  const judged = settings.history ? ` (at the first history size, ${rate(settings.history[0])} events, only)` : '';
  lines.push(`### Floors${judged}`, '', '| storage | floor | measured (median) | derived | result |', '|---|---|---|---|---|');
  for (const r of floors) lines.push(`| ${r.floor.storage} | ${r.text} | ${r.measured} | ${r.derived} | **${r.verdict}** |`);
  const notes = floors.flatMap((r) => r.notes);
  if (notes.length)
    lines.push('', 'Runs that did not count (the derivation had not caught up when the load stopped):', '', ...notes.map((n) => `- ${n}`));

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
        `| ${SHORT[s.key]} | ${label} | ${dec(h.eventsPerCommit)} | ${rate(h.commitsPerSec)} | ${ms(h.commitMs)} | ${pct(h.serverCpuPercent)} | ${dec(h.serverCpuMicrosPerEvent)} | ${pct(h.gcPercent)} | ${pct(h.loadCpuPercent)} | ${pct(h.otherCpuPercent)} |`,
      );
    }
  }
  lines.push('', '### Stored = acknowledged', '');
  for (const s of summaries) {
    if (!isHookd(s.key)) continue;
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
