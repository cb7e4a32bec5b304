// The ceiling: the same rows written in this process, without HTTP, first straight into
// the event store, then through the ingest service's group commit. The gap between these
// and the HTTP figures is what the server adds on top of its storage.
import { loadConfig } from '../src/core/config.ts';
import type { NormalizedEvent } from '../src/modules/events/event.ts';
import { openRuntime, type Runtime } from '../src/runtime/runtime.ts';
import { bodyOf, bodyTemplates } from './event-bodies.ts';
import { machineWindow, readCpuTimes } from './machine-load.ts';
import { parsePrometheus, serverWindow } from './server-window.ts';

export interface RateFigure {
  events: number;
  seconds: number;
  eventsPerSec: number;
  commits: number;
  /** CPU the rest of the machine used meanwhile, in % of one core. */
  otherCpuPercent: number;
}

export type RawMode = 'groups-100' | 'groups-1' | 'store-singles' | 'store-batches';

export interface RawModeSpec {
  key: RawMode;
  label: string;
  /**
   * Through the runtime exactly as `serve` opens it (SQLite writes on the write thread),
   * or straight into the store on this thread: the storage's own insert rate.
   */
  asServer: boolean;
}

export const RAW_MODES: RawModeSpec[] = [
  { key: 'groups-100', label: 'writeGroups, 100 events per transaction', asServer: false },
  { key: 'groups-1', label: 'writeGroups, 1 event per transaction', asServer: false },
  { key: 'store-singles', label: 'ingest.store, 50 concurrent callers x 1 event', asServer: true },
  { key: 'store-batches', label: 'ingest.store, 10 concurrent callers x 100 events', asServer: true },
];

/** `asServer: false` writes SQLite on the calling thread, without the server's write thread. */
export async function openBenchRuntime(env: Record<string, string>, asServer = true): Promise<Runtime> {
  const config = loadConfig({ ...env, HOOKD_LOG_LEVEL: 'warn' });
  return openRuntime(config, { applicationName: 'hookd-bench', serverThreads: asServer });
}

/** Realistic rows, normalised by the ingest service exactly as HTTP ingest would. */
export function normalisedPool(runtime: Runtime, count: number): NormalizedEvent[] {
  const templates = bodyTemplates({ eventsPerRequest: 1, variants: 64 });
  const chunk = runtime.services.config.limits.maxBatchEvents;
  const pool: NormalizedEvent[] = [];
  for (let start = 0; start < count; start += chunk) {
    const raw: unknown[] = [];
    for (let i = start; i < Math.min(count, start + chunk); i++) {
      raw.push(JSON.parse(bodyOf(templates[i % templates.length]!, `pool-${i}`)));
    }
    pool.push(...runtime.services.ingest.validateBatch(raw));
  }
  return pool;
}

/** The pool again under fresh event ids, so every mode and run inserts new rows. */
function renamed(pool: readonly NormalizedEvent[], tag: string): NormalizedEvent[] {
  return pool.map((event, i) => ({ ...event, eventId: `${tag}-${i.toString(36)}` }));
}

async function commitCount(runtime: Runtime): Promise<Map<string, number>> {
  return parsePrometheus(await runtime.services.metrics.prometheus());
}

/** Runs one mode until the rows run out or maxSeconds pass, whichever comes first. */
export async function measureRawMode(
  runtime: Runtime,
  pool: readonly NormalizedEvent[],
  mode: RawMode,
  tag: string,
  maxSeconds: number,
): Promise<RateFigure> {
  const rows = renamed(pool, tag);
  const store = runtime.services.stores.events;
  const ingest = runtime.services.ingest;
  const before = await commitCount(runtime);
  const machineBefore = readCpuTimes();
  const ownBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + maxSeconds * 1000;
  let written = 0;
  let commits = 0;

  const sequential = async (size: number) => {
    for (let i = 0; i < rows.length && performance.now() < deadline; i += size) {
      const group = rows.slice(i, i + size);
      await store.writeGroups([group]);
      written += group.length;
      commits++;
    }
  };
  const concurrent = async (callers: number, size: number) => {
    let next = 0;
    const caller = async () => {
      while (next < rows.length && performance.now() < deadline) {
        const group = rows.slice(next, next + size);
        next += size;
        await ingest.store(group);
        written += group.length;
      }
    };
    await Promise.all(Array.from({ length: callers }, caller));
  };

  switch (mode) {
    case 'groups-100':
      await sequential(100);
      break;
    case 'groups-1':
      await sequential(1);
      break;
    case 'store-singles':
      await concurrent(50, 1);
      break;
    case 'store-batches':
      await concurrent(10, 100);
      break;
  }
  const seconds = (performance.now() - started) / 1000;
  const own = process.cpuUsage(ownBefore);
  const machine = machineWindow(machineBefore, readCpuTimes());
  const otherCpuPercent = machine.busyPercent - ((own.user + own.system) / 1e6 / seconds) * 100;
  if (mode.startsWith('store-')) commits = serverWindow(before, await commitCount(runtime), seconds).commits;
  return { events: written, seconds, eventsPerSec: written / seconds, commits, otherCpuPercent };
}
