import { expect, it } from 'vitest';
import { startRuleLoop, type RuleRunning } from './rule-runner.ts';

/** A runner whose passes cover `backlog` events, one per pass, recording when each ran. */
function fakeRunner(backlog: number): RuleRunning & { at: number[] } {
  const at: number[] = [];
  const runner = {
    at,
    async pass() {
      if (at.length >= backlog) return 0;
      at.push(performance.now());
      return 1;
    },
    async catchUp() {},
    startLoop: () => ({ async stop() {} }),
    onNotifications() {},
  };
  return runner;
}

it('holds passes back while deferFor asks, and runs them as soon as it stops asking', async () => {
  const runner = fakeRunner(3);
  const busyUntil = performance.now() + 150;
  const loop = startRuleLoop(runner, { intervalMs: 10, onError: () => {}, deferFor: () => Math.max(0, busyUntil - performance.now()) });
  const started = performance.now();
  await new Promise((r) => setTimeout(r, 400));
  await loop.stop();
  expect(runner.at).toHaveLength(3);
  expect(runner.at[0]! - started).toBeGreaterThanOrEqual(140);
});

it('runs a pass after at most a second of deferring, so a backlog moves under sustained load', async () => {
  const runner = fakeRunner(2);
  const loop = startRuleLoop(runner, { intervalMs: 10, onError: () => {}, deferFor: () => 50 });
  const started = performance.now();
  await new Promise((r) => setTimeout(r, 2200));
  await loop.stop();
  expect(runner.at.length).toBeGreaterThanOrEqual(1);
  expect(runner.at[0]! - started).toBeGreaterThanOrEqual(900);
  // Generous: timers run late on a busy machine.
  expect(runner.at[0]! - started).toBeLessThan(1900);
});
