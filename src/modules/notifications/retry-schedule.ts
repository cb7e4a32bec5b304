/**
 * When a failed delivery is tried again: 5 s, 15 s, 45 s, 2 min, 5 min, 10 min, 20 min,
 * 40 min, then hourly, each ±20% so a receiver's outage does not end in a thundering herd,
 * until the notification's window (24 h by default) runs out. A Retry-After the receiver
 * gave wins when it is longer.
 */
export const RETRY_DELAYS_MS = [5_000, 15_000, 45_000, 120_000, 300_000, 600_000, 1_200_000, 2_400_000, 3_600_000];

export function retryDelayMs(failedAttempts: number, retryAfterMs: number | null, random: () => number = Math.random): number {
  const base = RETRY_DELAYS_MS[Math.min(Math.max(failedAttempts, 1), RETRY_DELAYS_MS.length) - 1]!;
  const jittered = Math.round(base * (0.8 + 0.4 * random()));
  return retryAfterMs !== null && retryAfterMs > jittered ? retryAfterMs : jittered;
}
