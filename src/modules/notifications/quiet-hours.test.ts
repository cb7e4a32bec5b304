import { describe, expect, it } from 'vitest';
import { quietUntil } from './quiet-hours.ts';
import { instantOfWallTime, wallTimeAt } from './zoned-time.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const night = (timeZone: string) => ({ start: '22:00', end: '08:00', timeZone });

describe('quiet hours', () => {
  it('holds from start to end on the local clock, across midnight', () => {
    const q = night('Europe/Paris');
    // 21:59 Paris (CET, UTC+1) in January: not yet.
    expect(quietUntil(q, at('2026-01-15T20:59:00Z'))).toBeNull();
    // 22:00 Paris: until 08:00 the next morning, 07:00 UTC.
    expect(iso(quietUntil(q, at('2026-01-15T21:00:00Z')))).toBe('2026-01-16T07:00:00.000Z');
    // 03:00 Paris: the same end.
    expect(iso(quietUntil(q, at('2026-01-16T02:00:00Z')))).toBe('2026-01-16T07:00:00.000Z');
    // 08:00 Paris: over.
    expect(quietUntil(q, at('2026-01-16T07:00:00Z'))).toBeNull();
    expect(quietUntil(null, at('2026-01-16T02:00:00Z'))).toBeNull();
  });

  it('holds within one day when start is before end', () => {
    const q = { start: '12:00', end: '13:30', timeZone: 'UTC' };
    expect(quietUntil(q, at('2026-05-01T11:59:00Z'))).toBeNull();
    expect(iso(quietUntil(q, at('2026-05-01T12:10:00Z')))).toBe('2026-05-01T13:30:00.000Z');
    expect(quietUntil(q, at('2026-05-01T13:30:00Z'))).toBeNull();
  });

  it('ends at 08:00 local on the night the clocks go forward (America/New_York, 8 March 2026)', () => {
    const q = night('America/New_York');
    // 23:00 EST (UTC-5) on 7 March: the night is 9 hours long, ending 08:00 EDT = 12:00 UTC.
    const end = quietUntil(q, at('2026-03-08T04:00:00Z'));
    expect(iso(end)).toBe('2026-03-08T12:00:00.000Z');
    expect(end! - at('2026-03-08T03:00:00Z')).toBe(9 * 3_600_000);
  });

  it('ends at 08:00 local on the night the clocks go back (Europe/Berlin, 25 October 2026)', () => {
    const q = night('Europe/Berlin');
    // 22:00 CEST (UTC+2) on 24 October to 08:00 CET (UTC+1): 11 hours.
    const start = at('2026-10-24T20:00:00Z');
    const end = quietUntil(q, start);
    expect(iso(end)).toBe('2026-10-25T07:00:00.000Z');
    expect(end! - start).toBe(11 * 3_600_000);
  });

  it('ends when the clock jumps past an end time that does not exist that day', () => {
    // Berlin skips 02:00-03:00 on 29 March 2026: quiet until 02:30 ends at the jump, 03:00 CEST = 01:00 UTC.
    const q = { start: '01:00', end: '02:30', timeZone: 'Europe/Berlin' };
    expect(iso(quietUntil(q, at('2026-03-29T00:10:00Z')))).toBe('2026-03-29T01:00:00.000Z');
  });

  it('ends at the first of two 01:30s when the clocks go back (America/New_York, 1 November 2026)', () => {
    const q = { start: '23:00', end: '01:30', timeZone: 'America/New_York' };
    // 00:30 EDT (UTC-4): the first 01:30 is EDT, 05:30 UTC.
    expect(iso(quietUntil(q, at('2026-11-01T04:30:00Z')))).toBe('2026-11-01T05:30:00.000Z');
    // 01:15 EST, the hour again (06:15 UTC): quiet hours ended at the first 01:30.
    expect(quietUntil(q, at('2026-11-01T06:15:00Z'))).toBeNull();
  });

  it('uses zones with half-hour offsets and half-hour changes (Australia/Lord_Howe)', () => {
    // 22:00 on 3 April 2027 at UTC+11 to 08:00 on 4 April at UTC+10:30 (clocks go back 30 minutes at 02:00).
    const q = night('Australia/Lord_Howe');
    const start = at('2027-04-03T11:00:00Z');
    expect(wallTimeAt(start, 'Australia/Lord_Howe')).toMatchObject({ hour: 22, minute: 0 });
    expect(iso(quietUntil(q, start))).toBe('2027-04-03T21:30:00.000Z');
  });

  it('finds the instant of a wall time in any zone', () => {
    expect(iso(instantOfWallTime({ year: 2026, month: 7, day: 1, hour: 8, minute: 0 }, 'Asia/Kolkata'))).toBe('2026-07-01T02:30:00.000Z');
    expect(iso(instantOfWallTime({ year: 2026, month: 7, day: 1, hour: 8, minute: 0 }, 'UTC'))).toBe('2026-07-01T08:00:00.000Z');
  });
});
