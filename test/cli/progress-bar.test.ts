import { describe, expect, it } from 'vitest';
import { formatBytes, progressEnabled, ProgressBar, type ProgressStream } from '../../src/core/progress-bar.ts';

function fakeTerminal(): ProgressStream & { output: string[] } {
  const output: string[] = [];
  return { isTTY: true, columns: 200, output, write: (text: string) => output.push(text) };
}

describe('progress bar', () => {
  it('shows only on a terminal and never under CI', () => {
    expect(progressEnabled({ isTTY: true, write: () => true }, {})).toBe(true);
    expect(progressEnabled({ isTTY: true, write: () => true }, { CI: 'true' })).toBe(false);
    expect(progressEnabled({ write: () => true }, {})).toBe(false);
  });

  it('draws a bar against a known total, at most once per interval, and ends its line', () => {
    const stream = fakeTerminal();
    let now = 1000;
    const bar = new ProgressBar({ label: 'importing', unit: 'bytes', total: 4096, stream, enabled: true, now: () => now });
    bar.update(1024);
    for (let i = 0; i < 50; i++) bar.add(1); // same instant: no redraws
    now += 99;
    bar.update(2048);
    expect(stream.output).toHaveLength(1);
    expect(stream.output[0]).toBe('\r\x1b[2Kimporting [######------------------]  25% 1.0 KB / 4.0 KB');
    now += 1;
    bar.update(3072);
    expect(stream.output).toHaveLength(2);
    expect(stream.output[1]).toContain(' 75% 3.0 KB / 4.0 KB');
    bar.update(4096);
    bar.finish();
    expect(stream.output.slice(-2)).toEqual(['\r\x1b[2Kimporting [########################] 100% 4.0 KB / 4.0 KB', '\n']);
    bar.update(1);
    bar.finish();
    expect(stream.output).toHaveLength(4);
  });

  it('is a plain counter without a total, and silent when disabled', () => {
    const stream = fakeTerminal();
    const counter = new ProgressBar({ label: 'exporting', unit: 'events', stream, enabled: true });
    counter.update(12345);
    expect(stream.output).toEqual(['\r\x1b[2Kexporting 12,345 events']);
    counter.clear();
    expect(stream.output.at(-1)).toBe('\r\x1b[2K');

    const counted = new ProgressBar({ label: 'exporting', unit: 'events', stream, enabled: true, total: 2000 });
    counted.update(500);
    expect(counted.render()).toBe('exporting [######------------------]  25% 500 / 2,000 events');

    const quiet = fakeTerminal();
    const off = new ProgressBar({ label: 'exporting', unit: 'events', stream: quiet, enabled: false });
    off.update(5);
    off.finish();
    expect(quiet.output).toEqual([]);
  });

  it('keeps a line within the terminal width', () => {
    const stream = { ...fakeTerminal(), columns: 30 };
    const bar = new ProgressBar({ label: 'importing', unit: 'bytes', total: 10 ** 9, stream, enabled: true });
    bar.update(5 * 10 ** 8);
    expect(stream.output[0]!.replace('\r\x1b[2K', '').length).toBe(29);
  });

  it('formats sizes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.0 GB');
  });
});
