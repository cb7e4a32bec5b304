import { describe, expect, it } from 'vitest';
import { RefusalLog, SUMMARY_EVERY_MS } from './refusal-log.ts';

describe('RefusalLog', () => {
  it('logs the start of an outage, a summary every ten seconds, and the recovery, not a line per request', () => {
    let now = 0;
    const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
    const log = {
      warn: (fields: Record<string, unknown>, message: string) => lines.push({ level: 'warn', fields, message }),
      info: (fields: Record<string, unknown>, message: string) => lines.push({ level: 'info', fields, message }),
    };
    const refusals = new RefusalLog(() => now);
    // 34,000 refusals over 25 s, as a stopped PostgreSQL produced.
    for (let i = 0; i < 34_000; i++) {
      now = Math.floor((i * 25_000) / 34_000);
      refusals.refused(log, 'storage_unavailable', 'storage is unavailable; retry shortly');
    }
    refusals.served(log);
    refusals.served(log);
    expect(lines.map((l) => l.level)).toEqual(['warn', 'warn', 'warn', 'info']);
    expect(lines[0]!.message).toMatch(/^storage is unavailable; retry shortly: answering 503 until it recovers/);
    expect(lines[1]!.fields).toMatchObject({ code: 'storage_unavailable', seconds: SUMMARY_EVERY_MS / 1000 });
    expect(lines[3]!.fields).toMatchObject({ code: 'storage_unavailable', refused: 34_000, seconds: 25 });
    const summed = lines.slice(1, 3).reduce((n, l) => n + (l.fields.refused as number), 0);
    expect(summed).toBeLessThan(34_000);
  });
});
