// Times in the browser's own zone; the exact UTC instant on hover (components/time-text.tsx).

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

export function localText(at: Date, now = new Date()): string {
  return at.toDateString() === now.toDateString() ? timeOnly.format(at) : dateTime.format(at);
}

export function utcText(at: Date): string {
  return `${at
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, '')} UTC`;
}

/** "3 s", "4 min", "2 h 5 min", "3 d": durations as people say them. */
export function durationText(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min ${Math.round(s % 60)} s`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ${min % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** "12 s ago", "5 min ago": how long since, for activity columns. */
export function agoText(at: Date, now = Date.now()): string {
  const ms = Math.max(0, now - at.getTime());
  if (ms < 45_000) return `${Math.round(ms / 1000)} s ago`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min ago`;
  if (ms < 172_800_000) return `${Math.round(ms / 3_600_000)} h ago`;
  return `${Math.round(ms / 86_400_000)} d ago`;
}

/** "in 40 s", "in 29 min", "in 1 h 20 min", "in 7 h": how long until, for what waits; "any moment now" once due. */
export function untilText(at: Date, now = Date.now()): string {
  const ms = at.getTime() - now;
  if (ms <= 0) return 'any moment now';
  if (ms < 45_000) return `in ${Math.max(1, Math.round(ms / 1000))} s`;
  const min = Math.max(1, Math.round(ms / 60_000));
  if (min < 60) return `in ${min} min`;
  // Under 3 hours the minutes still matter ("in 1 h 20 min"); beyond, the hour is enough.
  if (min < 180) return `in ${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ''}`;
  if (ms < 172_800_000) return `in ${Math.round(ms / 3_600_000)} h`;
  return `in ${Math.round(ms / 86_400_000)} d`;
}

const count = new Intl.NumberFormat(undefined);
export function countText(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : count.format(n);
}

export function percentText(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  const pct = share * 100;
  return `${pct < 10 && pct > 0 ? pct.toFixed(1) : Math.round(pct)}%`;
}

/** "812", "18.3k", "183k", "1.2M": token counts, short. */
export function tokenText(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const short = (value: number, unit: string) => `${value < 100 ? Number(value.toFixed(1)) : Math.round(value)}${unit}`;
  if (n < 1000) return String(Math.round(n));
  if (n < 999_500) return short(n / 1000, 'k');
  return short(n / 1_000_000, 'M');
}
