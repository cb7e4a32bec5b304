/** The part of a stream a progress bar needs; process.stderr fits, and so does a test double. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface ProgressOptions {
  label: string;
  /** Known end (bytes of a file, events to export); without it only a counter is shown. */
  total?: number | null;
  unit: 'bytes' | 'events';
  stream: ProgressStream;
  enabled: boolean;
  /** Shortest time between redraws; a redraw per event would cost more than the work. */
  intervalMs?: number;
  now?: () => number;
}

const BAR_WIDTH = 24;

/**
 * A bar only helps a person watching a terminal: logs and CI output would fill up with
 * carriage returns, so it draws only on a TTY outside CI.
 */
export function progressEnabled(stream: ProgressStream, env: Record<string, string | undefined>): boolean {
  return stream.isTTY === true && !env.CI;
}

export class ProgressBar {
  private readonly options: ProgressOptions;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private total: number | null;
  private value = 0;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private drawn = false;
  private done = false;

  constructor(options: ProgressOptions) {
    this.options = options;
    this.intervalMs = options.intervalMs ?? 100;
    this.now = options.now ?? Date.now;
    this.total = options.total ?? null;
  }

  /** For an end learnt only after the work started, e.g. from a count query. */
  setTotal(total: number | null): void {
    this.total = total;
  }

  /** Sets the current amount; redraws at most once per interval. */
  update(value: number): void {
    this.value = value;
    if (!this.options.enabled || this.done) return;
    const now = this.now();
    if (now - this.lastDraw < this.intervalMs) return;
    this.lastDraw = now;
    this.draw();
  }

  add(amount: number): void {
    this.update(this.value + amount);
  }

  /** Draws the final state and ends the line, so later output starts clean. */
  finish(): void {
    if (!this.options.enabled || this.done) return;
    this.done = true;
    this.draw();
    this.options.stream.write('\n');
  }

  /** Erases the bar, e.g. before a message; the next update draws it again. */
  clear(): void {
    if (!this.options.enabled || this.done || !this.drawn) return;
    this.options.stream.write('\r\x1b[2K');
    this.drawn = false;
  }

  render(): string {
    const { label, unit } = this.options;
    const total = this.total;
    const amount = formatAmount(this.value, unit);
    if (!total || total <= 0) return `${label} ${amount}`;
    const ratio = Math.min(1, this.value / total);
    const filled = Math.round(ratio * BAR_WIDTH);
    const bar = '#'.repeat(filled) + '-'.repeat(BAR_WIDTH - filled);
    const percent = `${Math.floor(ratio * 100)}%`.padStart(4);
    const of =
      unit === 'events'
        ? `${this.value.toLocaleString('en-US')} / ${formatAmount(total, unit)}`
        : `${amount} / ${formatAmount(total, unit)}`;
    return `${label} [${bar}] ${percent} ${of}`;
  }

  private draw(): void {
    const width = this.options.stream.columns || 80;
    // Clearing the line first matters when the text gets shorter; cutting it to the
    // terminal width keeps a wrapped line from scrolling the screen on every redraw.
    this.options.stream.write(`\r\x1b[2K${this.render().slice(0, Math.max(10, width - 1))}`);
    this.drawn = true;
  }
}

export function formatAmount(value: number, unit: 'bytes' | 'events'): string {
  if (unit === 'events') return `${value.toLocaleString('en-US')} events`;
  return formatBytes(value);
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}
