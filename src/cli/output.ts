import type { Writable } from 'node:stream';

export interface Column<Row> {
  header: string;
  value(row: Row): string;
  /** Right-aligned, for numbers. */
  right?: boolean;
}

/**
 * Machine output: one compact JSON document, the same bytes the HTTP API would send,
 * so scripts can switch between the two.
 */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** A plain-text table sized to its content; no colours, so it pipes cleanly into grep. */
export function formatTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  const cells = rows.map((row) => columns.map((column) => oneLine(column.value(row))));
  const widths = columns.map((column, i) => Math.max(column.header.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: readonly string[]) =>
    values
      .map((value, i) => (columns[i]!.right ? value.padStart(widths[i]!) : value.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return `${[line(columns.map((c) => c.header.toUpperCase())), ...cells.map(line)].join('\n')}\n`;
}

export function printTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): void {
  process.stdout.write(formatTable(columns, rows));
}

/** Control characters would break a table row or move the cursor; show them escaped. */
export function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it makes visible.
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) =>
    c === '\n' ? '\\n' : c === '\t' ? ' ' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** ISO time without milliseconds and zone letter: enough for a person scanning a table. */
export function shortTime(iso: string | null): string {
  if (!iso) return '';
  return iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '');
}

/**
 * Writes text and waits when the reader is slower than us (a pipe into `less`),
 * so a large export never piles up in memory.
 */
export function writeChunk(stream: Writable, text: string): Promise<void> | void {
  if (stream.write(text)) return;
  return new Promise<void>((resolve, reject) => {
    const done = (error?: Error) => {
      stream.off('drain', onDrain);
      stream.off('error', done);
      stream.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(Object.assign(new Error('output closed before the export finished'), { code: 'EPIPE' }));
    stream.on('drain', onDrain);
    stream.on('error', done);
    stream.on('close', onClose);
  });
}

/** 41 ms, 3.1 s, 2.4 min, 1.5 h, 3.2 d: the unit chosen after rounding, so never "60.0 s". */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 999.5) return `${Math.round(ms)} ms`;
  const units: [number, string, number][] = [
    [1000, 's', 60],
    [60_000, 'min', 60],
    [3_600_000, 'h', 48],
  ];
  for (const [size, unit, next] of units) {
    const value = Math.round((ms / size) * 10) / 10;
    if (value < next) return `${value.toFixed(1)} ${unit}`;
  }
  return `${(Math.round(ms / 8_640_000) / 10).toFixed(1)} d`;
}
