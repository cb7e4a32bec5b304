// BENCH_HISTORY's part of the ingest report: per hookd storage, each measurement's figures
// with a column per history size, so a slowdown as the store grows reads along one row; and
// what each size's history cost to load and takes on disk.
import { mib } from './database-size.ts';
import { historyLabel } from './ingest-history.ts';
import { MEASUREMENTS } from './measurements.ts';
import { derivedOf, ms, rate, ratio, table } from './report-format.ts';
import type { HistoryStageSummary, StorageSummary } from './summary.ts';

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** One row per measurement: events/s, × baseline, p99 and derived runs, each a column per size. */
function sideBySide(stages: readonly HistoryStageSummary[], baseline: StorageSummary | undefined): { header: string[]; rows: string[][] } {
  const labels = stages.map((stage) => historyLabel(stage.target));
  const header = [
    'measurement',
    ...labels.map((l) => `events/s at ${l}`),
    ...labels.map((l) => `× baseline at ${l}`),
    ...labels.map((l) => `p99 ms at ${l}`),
    ...labels.map((l) => `derived at ${l}`),
  ];
  const rows = MEASUREMENTS.filter((m) => stages.some((stage) => stage.http[m.key])).map(({ key, label }) => {
    const figures = stages.map((stage) => stage.http[key]);
    return [
      label,
      ...figures.map((h) => rate(h?.eventsPerSec)),
      ...figures.map((h) => ratio(h, baseline, key)),
      ...figures.map((h) => ms(h?.p99)),
      ...figures.map((h) => derivedOf(h)),
    ];
  });
  return { header, rows };
}

/** One row per size: what the store held, the load that topped it up, its size on disk. */
function loads(stages: readonly HistoryStageSummary[]): { header: string[]; rows: string[][]; details: string[] } {
  const header = [
    'history',
    'events in the store',
    'loaded',
    'load s',
    'load events/s',
    'derivation caught up s',
    'on disk',
    'bytes/event',
  ];
  const rows = stages.map((stage) => [
    historyLabel(stage.target),
    rate(stage.stored),
    stage.load ? rate(stage.load.events) : '0',
    stage.load ? stage.load.seconds.toFixed(1) : '-',
    rate(stage.load?.eventsPerSec),
    stage.load ? stage.load.catchUpSeconds.toFixed(1) : '-',
    stage.size ? mib(stage.size.bytes) : 'not read',
    stage.size && stage.stored ? rate(stage.size.bytes / stage.stored) : '-',
  ]);
  const details = stages.map(
    (stage) => `${historyLabel(stage.target)}: ${stage.size ? stage.size.detail : `size not read (${stage.sizeError ?? 'unknown'})`}`,
  );
  return { header, rows, details };
}

const HISTORY_NOTE =
  'the store topped up with the realistic sessions of bench/analytics-data.ts to hold at least that many acknowledged events, ' +
  "earlier sizes' runs included, before the size's warm-up and rounds; the baseline ran at the first size only";

/** For the terminal, after the storage's usual table (which holds the first size's figures). */
export function historyTables(summary: StorageSummary, baseline: StorageSummary | undefined): string {
  const stages = summary.history ?? [];
  if (!stages.length) return '';
  const figures = sideBySide(stages, baseline);
  const loaded = loads(stages);
  return [
    `\nAt each history size (BENCH_HISTORY: ${HISTORY_NOTE}), medians:`,
    table(figures.header, figures.rows),
    '\nHistory loaded (POST /events/batch, batches of 1000, 4 in flight), then the derivation caught up, then the size read:',
    table(loaded.header, loaded.rows),
    ...loaded.details.map((d) => `  ${d}`),
  ].join('\n');
}

/** Figures right-aligned; the first column and the `text` ones left. */
function markdownTable(header: string[], rows: string[][], text: readonly number[] = []): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 || text.includes(i) ? '---|' : '---:|')).join('')}`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
}

/** For the Markdown report, inside the storage's section. */
export function historyMarkdown(summary: StorageSummary, baseline: StorageSummary | undefined): string[] {
  const stages = summary.history ?? [];
  if (!stages.length) return [];
  const figures = sideBySide(stages, baseline);
  const loaded = loads(stages);
  return [
    `At each history size (\`BENCH_HISTORY\`: ${HISTORY_NOTE}), medians; the floors judge the first size only:`,
    '',
    ...markdownTable(figures.header, figures.rows),
    '',
    'History loaded before each size (`POST /events/batch`, batches of 1000, 4 in flight; the derivation caught up before the size was read):',
    '',
    ...markdownTable(
      [...loaded.header, 'made of'],
      loaded.rows.map((row, i) => [...row, loaded.details[i]!.replace(/^[^:]*: /, '')]),
      [loaded.header.length],
    ),
    '',
  ];
}
