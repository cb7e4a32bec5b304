/**
 * Wall-clock time in an IANA time zone, through Intl alone: quiet hours are set in a team's
 * local time, and their end must land on the right instant across daylight-saving changes.
 */

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall time in `zone` at `instant` (epoch ms), to the minute. */
export function wallTimeAt(instant: number, zone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(instant)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute! };
}

/** How far `zone`'s wall clock is ahead of UTC at `instant`, ms (seconds dropped: zones have had odd seconds only before 1972). */
function offsetAt(instant: number, zone: string): number {
  const w = wallTimeAt(instant, zone);
  const floored = instant - (((instant % 60_000) + 60_000) % 60_000);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - floored;
}

const asUtc = (w: WallTime) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
const sameWall = (a: WallTime, b: WallTime) => asUtc(a) === asUtc(b);

/**
 * The first instant at which `zone`'s wall clock reads `wall` or later. A time that occurs
 * twice (clocks set back) is its first occurrence; one that does not occur (clocks set
 * forward past it) is the instant of the change, when the clock jumps beyond it.
 */
export function instantOfWallTime(wall: WallTime, zone: string): number {
  const guess = asUtc(wall);
  const DAY = 86_400_000;
  const offsets = [...new Set([offsetAt(guess - DAY, zone), offsetAt(guess, zone), offsetAt(guess + DAY, zone)])];
  const valid = offsets.map((o) => guess - o).filter((c) => sameWall(wallTimeAt(c, zone), wall));
  if (valid.length > 0) return Math.min(...valid);
  // In a gap: the wall clock jumps from before `wall` to after it between these two instants.
  let before = guess - Math.max(...offsets);
  let after = guess - Math.min(...offsets);
  while (after - before > 60_000) {
    const mid = before + Math.floor((after - before) / 2 / 60_000) * 60_000;
    if (asUtc(wallTimeAt(mid, zone)) >= guess) after = mid;
    else before = mid;
  }
  return after;
}

/** The calendar day `days` after (or before) the given one. */
export function addDays(wall: Pick<WallTime, 'year' | 'month' | 'day'>, days: number): Pick<WallTime, 'year' | 'month' | 'day'> {
  const d = new Date(Date.UTC(wall.year, wall.month - 1, wall.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}
