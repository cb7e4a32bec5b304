// Who used the CPU over a stretch of the benchmark: the hookd server (its own
// process_cpu_seconds_total), this process, and the rest of the machine (PostgreSQL,
// a neighbour). On 2 cores that decides whether a figure can be trusted.
import type { HookdServer } from './hookd-server.ts';
import { machineWindow, readCpuTimes } from './machine-load.ts';
import { parsePrometheus } from './server-window.ts';

/** CPU in % of one core over the window (200% = both cores of 2). */
export interface CpuShare {
  server: number;
  driver: number;
  other: number;
}

async function serverCpuSeconds(server: HookdServer): Promise<number> {
  return parsePrometheus(await server.prometheus()).get('process_cpu_seconds_total') ?? NaN;
}

/** Starts a window now; the returned function ends it and gives the shares. */
export async function startCpuWindow(server: HookdServer): Promise<() => Promise<CpuShare>> {
  const serverBefore = await serverCpuSeconds(server);
  const machineBefore = readCpuTimes();
  const driverBefore = process.cpuUsage();
  return async () => {
    const machineAfter = readCpuTimes();
    const driverUsage = process.cpuUsage(driverBefore);
    const serverSeconds = (await serverCpuSeconds(server)) - serverBefore;
    const wallS = machineBefore && machineAfter ? (machineAfter.at - machineBefore.at) / 1000 : NaN;
    const share = (seconds: number) => (seconds / wallS) * 100;
    const serverPercent = share(serverSeconds);
    const driver = share((driverUsage.user + driverUsage.system) / 1e6);
    return { server: serverPercent, driver, other: machineWindow(machineBefore, machineAfter).busyPercent - serverPercent - driver };
  };
}
