// npm run bench:rules: rule evaluation (pure CPU, nothing else running; floor 200,000/s),
// then the rules end to end over stored events (no floor: how far behind ingest they fall),
// then the aggregation of a million executions on each storage (floor under 30 s).
// BENCH_STORAGES, BENCH_RULE_EVENTS, BENCH_EXECUTIONS as in the files they come from.
import { cleanupAll, installCleanupHandlers } from './cleanup.ts';
import { runAggregateBench } from './perf-aggregate-bench.ts';
import { RULE_EVAL_FLOOR, runRuleEvalBench } from './rule-eval-bench.ts';
import { runRulePassBench } from './rule-pass-bench.ts';

installCleanupHandlers();
try {
  const rules = await runRuleEvalBench();
  console.log('');
  await runRulePassBench();
  console.log('');
  const aggregate = await runAggregateBench();
  await cleanupAll();
  const passed = rules.evaluationsPerSecond >= RULE_EVAL_FLOOR && aggregate.every((r) => !r.skipped && r.verdict === 'PASS' && r.checked);
  console.log(`\nbench:rules ${passed ? 'PASS' : 'FAIL'}`);
  process.exit(passed ? 0 : 1);
} catch (error) {
  console.error(error);
  await cleanupAll();
  process.exit(1);
}
