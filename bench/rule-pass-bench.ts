// node bench/rule-pass-bench.ts — team rules end to end: how many stored events per second
// the rules passes evaluate (read back from the store, sessions looked up, 50 rules of
// mixed operators, fired executions written and the cursor or queue moved in one
// transaction), after the derivation has caught up. The recorded Claude Code session is
// stored again and again under new session ids through the ingest service.
//   BENCH_RULE_EVENTS=n  events to store (default 100000, rounded to whole sessions)
//   BENCH_STORAGES=a,b   only these of sqlite-full, postgres
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/core/config.ts';
import { canonicalFromHook } from '../src/modules/hooks/hook-adapter.ts';
import { openRuntime } from '../src/runtime/runtime.ts';
import { benchStorages, type BenchStorage } from './bench-storages.ts';
import { benchRules } from './rule-eval-bench.ts';
import { listSetting, numberSetting } from './settings.ts';

const FIXTURE = fileURLToPath(new URL('../test/fixtures/claude-code/session-fix-rounding.jsonl', import.meta.url));

export interface RulePassResult {
  storage: string;
  events: number;
  deriveSeconds: number;
  rulesSeconds: number;
  eventsPerSecond: number;
  executions: number;
  skipped?: string;
}

async function measure(storage: BenchStorage, wanted: number): Promise<RulePassResult> {
  const fresh = await storage.freshDatabase();
  const runtime = await openRuntime(loadConfig({ ...fresh.env, HOOKD_LOG_LEVEL: 'warn' }), {
    applicationName: 'hookd-bench',
    serverThreads: false,
  });
  try {
    const { services } = runtime;
    // Every event of the claude-code source belongs to the team: all of them meet its 50 rules.
    await services.teams.save('bench', { configuration: { claims: { sources: ['claude-code'] }, rules: benchRules() } });
    const payloads = readFileSync(FIXTURE, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const sessions = Math.max(1, Math.round(wanted / payloads.length));
    const base = Date.now() - 3_600_000;
    let stored = 0;
    for (let s = 0; s < sessions; s += 20) {
      const batch = [];
      for (let k = s; k < Math.min(sessions, s + 20); k++) {
        for (let i = 0; i < payloads.length; i++) {
          const payload = { ...payloads[i], session_id: `bench-${k}` };
          batch.push(
            canonicalFromHook(payload, {
              source: 'claude-code',
              eventId: `e${i}`,
              timestamp: base + k * 10 + i,
              context: { project: 'billing' },
            }),
          );
        }
      }
      stored += (await services.ingest.ingestBatch(batch)).accepted;
    }
    let started = performance.now();
    await runtime.services.stores.deriver.catchUp();
    const deriveSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    await services.rules.catchUp();
    const rulesSeconds = (performance.now() - started) / 1000;
    const executions = (await services.performance.statistics({ team_id: 'bench', hours: 24 }, {})).total_executions;
    const eventsPerSecond = stored / rulesSeconds;
    console.log(
      `  [${storage.key}] ${stored.toLocaleString('en-US')} events stored; derived in ${deriveSeconds.toFixed(1)} s, ` +
        `through 50 rules in ${rulesSeconds.toFixed(1)} s: ${Math.round(eventsPerSecond).toLocaleString('en-US')} events/s, ` +
        `${executions.toLocaleString('en-US')} executions fired`,
    );
    return { storage: storage.key, events: stored, deriveSeconds, rulesSeconds, eventsPerSecond, executions };
  } finally {
    await runtime.services.close();
    await fresh.dispose();
  }
}

export async function runRulePassBench(): Promise<RulePassResult[]> {
  const wanted = numberSetting('BENCH_RULE_EVENTS', 100_000, true);
  const storages = listSetting('BENCH_STORAGES') ?? ['sqlite-full', 'postgres'];
  console.log('team rules end to end: stored events through 50 rules, after the derivation');
  const results: RulePassResult[] = [];
  for (const storage of benchStorages().filter((s) => storages.includes(s.key))) {
    const skipped = await storage.prepare();
    try {
      if (skipped) {
        console.log(`  [${storage.key}] skipped: ${skipped}`);
        results.push({ storage: storage.key, events: 0, deriveSeconds: 0, rulesSeconds: 0, eventsPerSecond: 0, executions: 0, skipped });
        continue;
      }
      results.push(await measure(storage, wanted));
    } finally {
      await storage.release();
    }
  }
  return results;
}

if (import.meta.main) await runRulePassBench();
