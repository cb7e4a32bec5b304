// npm run bench:capture — what the capture policy adds to each stored event: nanoseconds per
// event for each mode over the recorded Claude Code session, the same events for every mode,
// in one run. `full` is the floor (the walk for oversized fields only).
//   BENCH_ROUNDS=n   timed rounds per mode (default 7; the median is printed)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { applyCapturePolicy, type CaptureMode } from '../src/modules/capture/capture-policy.ts';

const FIXTURE = fileURLToPath(new URL('../test/fixtures/claude-code/session-fix-rounding.jsonl', import.meta.url));
const payloads = readFileSync(FIXTURE, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as Record<string, unknown>);
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const PASSES = 20_000;
const MODES: CaptureMode[] = ['full', 'redacted', 'metadata'];

function round(mode: CaptureMode): number {
  const policy = { mode, maxFieldBytes: 64 * 1024 };
  const started = process.hrtime.bigint();
  let kept = 0;
  for (let pass = 0; pass < PASSES; pass++) for (const payload of payloads) kept += applyCapturePolicy(payload, policy).redactions;
  const ns = Number(process.hrtime.bigint() - started);
  // Using the result keeps the work from being optimised away.
  if (kept < 0) throw new Error('unreachable');
  return ns / (PASSES * payloads.length);
}

const times = new Map<CaptureMode, number[]>(MODES.map((mode) => [mode, []]));
round('redacted'); // warm-up: compile the regexes and the walk
// Modes take turns each round, so a noisy moment hits them all alike.
for (let r = 0; r < rounds; r++) for (const mode of MODES) times.get(mode)!.push(round(mode));

console.log(`capture policy over ${payloads.length} recorded hook events x ${PASSES} passes, ${rounds} rounds, median:`);
for (const mode of MODES) {
  const sorted = times.get(mode)!.sort((a, b) => a - b);
  console.log(
    `  ${mode.padEnd(9)} ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0).padStart(6)} ns/event  (min ${sorted[0]!.toFixed(0)}, max ${sorted.at(-1)!.toFixed(0)})`,
  );
}
