import type { SessionMaintenanceService } from './session-maintenance-service.ts';

export interface StaleSweeperOptions {
  intervalMs: number;
  onError(error: unknown): void;
  onSwept?(count: number): void;
}

export interface StaleSweeper {
  /** Stops the timer and waits for a sweep under way, so the storage can close after it. */
  stop(): Promise<void>;
}

/**
 * Ends stale sessions now and then every interval. Each sweep is one UPDATE, so any number
 * of hookd processes may run this against one PostgreSQL: they end the same rows at most
 * once between them. The timer never keeps the process alive.
 */
export function startStaleSweeper(service: SessionMaintenanceService, options: StaleSweeperOptions): StaleSweeper {
  let running: Promise<void> | null = null;
  let stopped = false;
  const sweep = () => {
    // A sweep slower than the interval is not stacked on itself.
    if (running || stopped) return;
    running = service
      .sweepStale()
      .then((count) => {
        if (count > 0) options.onSwept?.(count);
      }, options.onError)
      .finally(() => {
        running = null;
      });
  };
  // The first sweep soon after start catches sessions that went stale while nothing ran.
  const first = setTimeout(sweep, Math.min(options.intervalMs, 1000));
  const timer = setInterval(sweep, options.intervalMs);
  first.unref();
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
