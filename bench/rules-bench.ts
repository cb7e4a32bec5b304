// npm run bench:rules: the two figures issue 5 sets floors for, in one run. Rule evaluation
// first (pure CPU, nothing else running), then the aggregation of a million executions on
// each storage (BENCH_STORAGES, BENCH_EXECUTIONS as in bench/perf-aggregate-bench.ts).
import { cleanupAll, installCleanupHandlers } from './cleanup.ts';
import { runAggregateBench } from './perf-aggregate-bench.ts';
import { RULE_EVAL_FLOOR, runRuleEvalBench } from './rule-eval-bench.ts';

installCleanupHandlers();
try {
  const rules = await runRuleEvalBench();
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
