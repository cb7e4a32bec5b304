// CPU time of processes from /proc, in ms. A hook's cost to the machine is its CPU, not its
// wall time: two hooks that hold the agent alike may burn very different amounts of it.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** The clock tick /proc counts in (`getconf CLK_TCK`, 100 on Linux), read once. */
export function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    const value = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    ticksPerSecond = Number.isFinite(value) && value > 0 ? value : 100;
  }
  return ticksPerSecond;
}

/** The fields of /proc/<pid>/stat after the command name, which may hold spaces and parentheses. */
function statFields(pid: number | 'self'): string[] {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

// Field numbers of proc(5), counted from 1; statFields starts at field 3 (state).
const field = (fields: string[], n: number) => Number(fields[n - 3]);

/**
 * CPU of this process's children that have been waited for (cutime + cstime): a child's CPU,
 * and its own children's, lands here once Node has reaped it, i.e. by its 'exit' event.
 */
export function reapedChildrenCpuMs(): number {
  const fields = statFields('self');
  return ((field(fields, 16) + field(fields, 17)) / clockTicksPerSecond()) * 1000;
}

/** CPU of a running process, all its threads (utime + stime). */
export function processCpuMs(pid: number): number {
  const fields = statFields(pid);
  return ((field(fields, 14) + field(fields, 15)) / clockTicksPerSecond()) * 1000;
}

/**
 * CPU of a running process in ns precision: the run time of each of its threads from
 * /proc/<pid>/task/<tid>/schedstat, summed. /proc/<pid>/stat counts whole ticks, too coarse
 * for a few seconds of a nearly idle server; threads that ended are missing here.
 */
export function processRunTimeMs(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return ns / 1e6;
}
