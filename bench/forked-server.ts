// A comparison server the ingest bench forks from one of its own files: the child listens on
// a free port and reports it; the parent reads the child's CPU time from /proc, shaped like a
// /metrics/prometheus scrape, so the same window arithmetic serves hookd and the comparisons.
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { onCleanup } from './cleanup.ts';
import type { PromSnapshot } from './server-window.ts';

// USER_HZ is 100 on every Linux architecture Node supports.
const TICKS_PER_SECOND = 100;

export interface ForkedServer {
  baseUrl: string;
  pid: number;
  /** What the child said about itself once listening (versions, files). */
  facts: string;
  /** The process's CPU time, shaped like a /metrics/prometheus scrape. */
  snapshot(): PromSnapshot;
  stop(): Promise<void>;
}

/** What the child sends once it listens. */
export interface ListeningMessage {
  port: number;
  facts?: string;
}

export function processCpuSeconds(pid: number): number {
  // Fields 14 and 15 of /proc/<pid>/stat, counted after the ")" that ends the name.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Forks `script` with `args`; the child must send a ListeningMessage and exit on SIGTERM. */
export function startForkedServer(name: string, script: string, args: string[]): Promise<ForkedServer> {
  return new Promise((resolve, reject) => {
    const child = fork(script, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const stop = async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await gone;
    };
    const unregister = onCleanup(`${name} ${child.pid}`, stop);
    const failed = (error: Error) => {
      unregister();
      reject(error);
    };
    child.once('error', failed);
    child.once('exit', (code) => failed(new Error(`${name} exited (code ${code}) before listening`)));
    child.once('message', (message: ListeningMessage) => {
      child.removeAllListeners('exit');
      resolve({
        baseUrl: `http://127.0.0.1:${message.port}`,
        pid: child.pid!,
        facts: message.facts ?? '',
        snapshot: () => new Map([['process_cpu_seconds_total', processCpuSeconds(child.pid!)]]),
        async stop() {
          await stop();
          unregister();
        },
      });
    });
  });
}
