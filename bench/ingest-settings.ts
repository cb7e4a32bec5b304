// The settings of npm run bench:ingest, read once from the environment:
//   BENCH_DURATION=s   seconds per measurement run (default 10; BENCH_QUICK=1 makes it 2);
//                      sustained-100 always runs 20 s
//   BENCH_RUNS=n       rounds: runs per measurement, the median is reported (default 3)
//   BENCH_STORAGES=a,b only these of sqlite-full, sqlite-normal, postgres
//   BENCH_MEASUREMENTS=a,b only these of single-10, single-50, batch-50, batch-100,
//                      batch-1000, sustained-100 (by default on sqlite-full and postgres only;
//                      named here, on every storage), raw (e.g. to profile one of them), and
//                      steady-2000 (single events offered at 2,000/s; only when named here)
//   BENCH_RAW_EVENTS=n rows per in-process run (default 200000)
//   BENCH_BASELINE=0   skip the baseline (floors relative to it are then NOT RUN)
//   BENCH_NOOP=1       also measure a bare Fastify that stores nothing (the HTTP ceiling)
//   BENCH_RULES=1      a team with 50 rules (bench/rule-eval-bench.ts) claims every event sent
//   BENCH_SERVER_ENV="HOOKD_X=1 HOOKD_Y=2"  extra settings for hookd (server and in-process),
//                      to compare tuning knobs such as HOOKD_WRITER_CONCURRENCY
//   BENCH_LOAD_GENERATOR=wrk|autocannon  default wrk when installed (apt-get install wrk)
//   BENCH_PROFILE=1    the server writes a V8 CPU profile to bench/results/profiles/
//   BENCH_QUIET_WAIT=s before each run, wait up to this long for other processes to go
//                      quiet (default 10, at most 60 s over the whole benchmark; 0 disables)
//   BENCH_HISTORY=a,b  ascending event counts (0 allowed), e.g. 1000000,10000000: per size, each
//                      storage's store is topped up with realistic sessions until it holds that
//                      many events, then the usual warm-up and rounds run on it; the sizes are
//                      reported side by side, the floors judged on the first, the baseline
//                      measured at the first only (bench/ingest-history.ts). Unset: fresh,
//                      empty databases
import { chooseLoadGenerator } from './load.ts';
import type { StorageKey } from './bench-storages.ts';
import { MEASUREMENTS, type Measurement } from './measurements.ts';
import { listSetting, numberSetting } from './settings.ts';

function parseServerEnv(raw: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of raw.split(/[\s,]+/).filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq < 1 || !pair.startsWith('HOOKD_')) throw new Error(`BENCH_SERVER_ENV wants HOOKD_NAME=value pairs (got "${pair}")`);
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}

export const quick = process.env.BENCH_QUICK === '1';
export const durationS = numberSetting('BENCH_DURATION', quick ? 2 : 10);
export const runs = numberSetting('BENCH_RUNS', 3, true);
export const rawEvents = numberSetting('BENCH_RAW_EVENTS', 200_000, true);
export const warmupS = quick ? 1 : 3;
// In-process runs have no network and no load generator to settle: shorter runs suffice.
export const rawSeconds = Math.max(1, Math.round(durationS * 0.3));
export const only = listSetting('BENCH_STORAGES');
export const onlyMeasurements = listSetting('BENCH_MEASUREMENTS');
export const unknownMeasurement = onlyMeasurements?.find((key) => key !== 'raw' && !MEASUREMENTS.some((m) => m.key === key));
if (unknownMeasurement) {
  throw new Error(`BENCH_MEASUREMENTS: no measurement "${unknownMeasurement}" (${[...MEASUREMENTS.map((m) => m.key), 'raw'].join(', ')})`);
}
export const rawWanted = !onlyMeasurements || onlyMeasurements.includes('raw');
export const profile = process.env.BENCH_PROFILE === '1';
export const serverEnv = parseServerEnv(process.env.BENCH_SERVER_ENV ?? '');
export const withBaseline = process.env.BENCH_BASELINE !== '0';
export const withNoop = process.env.BENCH_NOOP === '1';
export const generator = chooseLoadGenerator(process.env.BENCH_LOAD_GENERATOR);
export const quietWaitS = process.env.BENCH_QUIET_WAIT === '0' ? 0 : numberSetting('BENCH_QUIET_WAIT', 10);
export const historySizes = historySetting();

/** BENCH_HISTORY, strictly: a typo or a size out of order would measure something else. */
function historySetting(): number[] | undefined {
  const raw = listSetting('BENCH_HISTORY');
  if (!raw?.length) return undefined;
  const sizes = raw.map((entry) => {
    const value = Number(entry);
    if (!(value >= 0) || !Number.isInteger(value)) throw new Error(`BENCH_HISTORY must list event counts (got "${entry}")`);
    return value;
  });
  if (sizes.some((size, i) => i > 0 && size <= sizes[i - 1]!)) throw new Error(`BENCH_HISTORY must ascend (got ${sizes.join(',')})`);
  return sizes;
}

/** What hookd measures on this storage. */
export function hookdMeasurements(key: StorageKey): Measurement[] {
  const named = onlyMeasurements;
  if (named) return MEASUREMENTS.filter((m) => named.includes(m.key));
  return MEASUREMENTS.filter((m) => m.requestsPerSecond === undefined && (!m.defaultStorages || m.defaultStorages.includes(key)));
}
