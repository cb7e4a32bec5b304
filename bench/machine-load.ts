// How busy the whole machine was during a measurement (from /proc/stat). On a shared
// 2-core box, CPU taken by anything other than the server and the load generator skews
// the figures, so the report shows it next to them instead of hiding it.
import { readFileSync } from 'node:fs';

// USER_HZ is 100 on every Linux architecture Node supports.
const TICKS_PER_SECOND = 100;

export interface CpuTimes {
  /** Seconds of CPU time spent busy, summed over all cores. */
  busy: number;
  steal: number;
  at: number;
}

export function readCpuTimes(): CpuTimes | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
    const busy = user! + nice! + system! + irq! + softirq!;
    return { busy: busy / TICKS_PER_SECOND, steal: (steal ?? 0) / TICKS_PER_SECOND, at: performance.now() };
  } catch {
    return null;
  }
}

export interface MachineWindow {
  /** Busy CPU of the whole machine, in % of one core (200% = both cores of 2). */
  busyPercent: number;
  stealPercent: number;
}

/**
 * Waits (up to maxWaitMs) until the machine is nearly idle for a moment, so a measurement
 * does not start in the middle of someone else's build. Resolves with the ms waited and
 * the busy % seen last.
 */
export async function waitForQuiet(maxBusyPercent: number, maxWaitMs: number): Promise<{ waitedMs: number; busyPercent: number }> {
  const started = performance.now();
  for (;;) {
    const before = readCpuTimes();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const busyPercent = machineWindow(before, readCpuTimes()).busyPercent;
    const waitedMs = performance.now() - started;
    if (!(busyPercent > maxBusyPercent) || waitedMs >= maxWaitMs) return { waitedMs, busyPercent };
  }
}

export function machineWindow(before: CpuTimes | null, after: CpuTimes | null): MachineWindow {
  if (!before || !after) return { busyPercent: NaN, stealPercent: NaN };
  const seconds = (after.at - before.at) / 1000;
  return {
    busyPercent: ((after.busy - before.busy) / seconds) * 100,
    stealPercent: ((after.steal - before.steal) / seconds) * 100,
  };
}
