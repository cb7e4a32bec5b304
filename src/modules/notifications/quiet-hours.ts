import { addDays, instantOfWallTime, wallTimeAt } from './zoned-time.ts';

/** A team's quiet hours: `start` to `end` ("HH:MM") each day in `timeZone`, across midnight when end < start. */
export interface QuietHoursPolicy {
  start: string;
  end: string;
  timeZone: string;
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * When the quiet hours that hold `now` end (epoch ms), or null when `now` is outside them.
 * Judged on the team's wall clock, so 22:00-08:00 stays 22:00-08:00 local on the days the
 * clocks change (a night is then 9 or 11 hours long).
 */
export function quietUntil(quiet: QuietHoursPolicy | null, now: number): number | null {
  if (!quiet) return null;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return null;
  const wall = wallTimeAt(now, quiet.timeZone);
  const minute = wall.hour * 60 + wall.minute;
  let endDay: number;
  if (start < end) {
    if (minute < start || minute >= end) return null;
    endDay = 0;
  } else if (minute >= start) endDay = 1;
  else if (minute < end) endDay = 0;
  else return null;
  const day = addDays(wall, endDay);
  const until = instantOfWallTime({ ...day, hour: Math.floor(end / 60), minute: end % 60 }, quiet.timeZone);
  // A wall time set back over the end (it occurs twice) would otherwise end quiet hours in the past.
  return until > now ? until : null;
}
