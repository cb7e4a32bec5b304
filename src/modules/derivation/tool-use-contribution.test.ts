import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BIN_COUNT, binOf } from './duration-bins.ts';
import {
  AnalyticsDeltas,
  DAY_MS,
  errorClassOf,
  HOUR_MS,
  type ErrorDelta,
  type RollupDelta,
  type RollupKey,
  type ToolUseFacts,
} from './tool-use-contribution.ts';
import { toolCategoryOf } from './tool-category.ts';

const call = (over: Partial<ToolUseFacts> = {}): ToolUseFacts => ({
  sessionId: 's1',
  toolName: 'Bash',
  inputSummary: 'npm test',
  status: 'succeeded',
  startedAt: 5 * HOUR_MS + 10,
  endedAt: 5 * HOUR_MS + 2000,
  durationMs: 1990,
  error: null,
  subagentType: null,
  source: 'claude-code',
  project: 'billing',
  teamId: null,
  ...over,
});

describe('tool call contributions', () => {
  it('count a completed call once per grain in the hour and once in the UTC day it started; a running call only in the session counters', () => {
    const d = new AnalyticsDeltas();
    d.add(null, call({ startedAt: 2 * DAY_MS + 5 * HOUR_MS + 10 }));
    for (const span of ['hour', 'day'])
      expect(
        d
          .rollupRows()
          .filter((r) => r.span === span)
          .map((r) => r.grain)
          .sort(),
      ).toEqual(['all', 'full', 'project', 'source']);
    expect(
      new Set(
        d
          .rollupRows()
          .filter((r) => r.span === 'hour')
          .map((r) => r.bucket),
      ),
    ).toEqual(new Set([2 * DAY_MS + 5 * HOUR_MS]));
    expect(
      new Set(
        d
          .rollupRows()
          .filter((r) => r.span === 'day')
          .map((r) => r.bucket),
      ),
    ).toEqual(new Set([2 * DAY_MS]));
    expect(d.sessionRows()).toEqual([['s1', expect.objectContaining({ toolCalls: 1, toolsSucceeded: 1, testRuns: 1 })]]);
    const running = new AnalyticsDeltas();
    running.add(null, call({ status: 'running', endedAt: null, durationMs: null }));
    expect(running.rollupRows()).toEqual([]);
    expect(running.sessionRows()).toEqual([['s1', expect.objectContaining({ toolCalls: 1, toolsSucceeded: 0 })]]);
  });

  it('take away exactly what the row contributed before: an unchanged row nets to nothing, a change moves one count', () => {
    const same = new AnalyticsDeltas();
    same.add(call(), call());
    expect(same.rollupRows()).toEqual([]);
    expect(same.errorRows()).toEqual([]);
    expect(same.sessionRows()).toEqual([]);
    const flipped = new AnalyticsDeltas();
    flipped.add(call(), call({ status: 'failed', error: 'Exit code 1\nmore' }));
    const all = flipped.rollupRows().find((r) => r.grain === 'all')!;
    expect([all.succeeded, all.failed, all.timed]).toEqual([-1, 1, 0]);
    expect(flipped.errorRows().find((e) => e.grain === 'all')).toMatchObject({ error: 'Exit code 1', failures: 1 });
    expect(flipped.sessionRows()).toEqual([['s1', expect.objectContaining({ toolCalls: 0, toolsSucceeded: -1, toolsFailed: 1 })]]);
  });

  it('keep one error row for calls of different subagent types failing alike, as tool_error_rollups has no subagent type', () => {
    const d = new AnalyticsDeltas();
    const failed = { toolName: 'Task', inputSummary: null, status: 'failed' as const, error: 'Agent crashed' };
    d.add(null, call({ ...failed, subagentType: 'Explore' }));
    d.add(null, call({ ...failed, subagentType: 'Plan' }));
    expect(d.rollupRows().filter((r) => r.grain === 'all' && r.span === 'hour')).toHaveLength(2);
    expect(d.errorRows().filter((e) => e.grain === 'all' && e.span === 'hour')).toEqual([
      expect.objectContaining({ error: 'Agent crashed', failures: 2 }),
    ]);
  });

  it('class errors by their first line, cut at 120 code points', () => {
    expect(errorClassOf('boom\nstack')).toBe('boom');
    expect(errorClassOf('😀'.repeat(130))).toBe('😀'.repeat(120));
  });

  it('sort calls into the categories the pattern rules count', () => {
    expect(toolCategoryOf('Read', null)).toBe('explore');
    expect(toolCategoryOf('MultiEdit', null)).toBe('edit');
    expect(toolCategoryOf('Bash', 'cd api && PYTEST -q')).toBe('test');
    expect(toolCategoryOf('Bash', 'git status')).toBe('other');
    expect(toolCategoryOf('Task', null)).toBe('delegate');
    expect(toolCategoryOf('WebSearch', null)).toBe('research');
    expect(toolCategoryOf('mcp__github__create_issue', null)).toBe('other');
  });

  it('sum per row exactly what spreading every call over its rows one by one sums', () => {
    const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
    // Mostly within two hours of a midnight, so calls share rows; sometimes anywhere in five days.
    const time = fc.oneof(fc.integer({ min: DAY_MS - HOUR_MS, max: DAY_MS + HOUR_MS }), fc.integer({ min: -2 * DAY_MS, max: 3 * DAY_MS }));
    const facts: fc.Arbitrary<ToolUseFacts> = fc.record({
      sessionId: fc.constantFrom('s1', 's2'),
      toolName: fc.constantFrom('Bash', 'Read', 'Task'),
      inputSummary: nullable(fc.constantFrom('npm test', 'ls')),
      status: fc.constantFrom('running', 'succeeded', 'failed'),
      startedAt: nullable(time),
      endedAt: nullable(time),
      durationMs: nullable(fc.integer({ min: 0, max: 100_000 })),
      error: nullable(fc.constantFrom('boom', 'boom\nstack', 'other')),
      subagentType: nullable(fc.constantFrom('Explore', 'Plan')),
      source: nullable(fc.constantFrom('claude-code', '')),
      project: nullable(fc.constantFrom('billing', '')),
      teamId: nullable(fc.constantFrom('eng', '')),
    });
    fc.assert(
      fc.property(fc.array(fc.tuple(nullable(facts), nullable(facts)), { maxLength: 30 }), (changes) => {
        const deltas = new AnalyticsDeltas();
        for (const [before, after] of changes) deltas.add(before, after);
        const expected = spreadOneByOne(changes);
        expect(deltas.rollupRows()).toEqual(expected.rollups);
        expect(deltas.errorRows()).toEqual(expected.errors);
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * The oracle: the rows as spreading each call over every grain and span, one by one, gives
 * them (how AnalyticsDeltas worked before it summed calls first), sorted by key. Written
 * out again on purpose, so the test does not share the code it checks.
 */
function spreadOneByOne(changes: [ToolUseFacts | null, ToolUseFacts | null][]): { rollups: RollupDelta[]; errors: ErrorDelta[] } {
  const rollups = new Map<string, RollupDelta>();
  const errors = new Map<string, ErrorDelta>();
  const spread = (row: ToolUseFacts, sign: number) => {
    const at = row.startedAt ?? row.endedAt;
    if (row.status === 'running' || at === null) return;
    for (const [span, width] of [
      ['hour', HOUR_MS],
      ['day', DAY_MS],
    ] as const) {
      const base = { span, bucket: Math.floor(at / width) * width, toolName: row.toolName, subagentType: row.subagentType ?? '' };
      const source = row.source ?? '';
      const keys: RollupKey[] = [
        { grain: 'all', source: '', project: '', teamId: '', ...base },
        { grain: 'source', source, project: '', teamId: '', ...base },
      ];
      if (row.project !== null) keys.push({ grain: 'project', source: '', project: row.project, teamId: '', ...base });
      if (row.teamId !== null) keys.push({ grain: 'team', source: '', project: '', teamId: row.teamId, ...base });
      keys.push({ grain: 'full', source, project: row.project ?? '', teamId: row.teamId ?? '', ...base });
      for (const key of keys) {
        const id = JSON.stringify([key.grain, key.span, key.source, key.project, key.teamId, key.bucket, key.toolName, key.subagentType]);
        const d = rollups.get(id) ?? {
          ...key,
          succeeded: 0,
          failed: 0,
          timed: 0,
          durationSumMs: 0,
          bins: new Array<number>(BIN_COUNT).fill(0),
        };
        rollups.set(id, d);
        if (row.status === 'succeeded') d.succeeded += sign;
        else d.failed += sign;
        if (row.durationMs !== null) {
          d.timed += sign;
          d.durationSumMs += sign * row.durationMs;
          d.bins[binOf(row.durationMs)]! += sign;
        }
        if (row.status === 'failed' && row.error !== null) {
          const { subagentType: _, ...errorKey } = key;
          const error = errorClassOf(row.error);
          const eid = JSON.stringify([key.grain, key.span, key.source, key.project, key.teamId, key.bucket, key.toolName, '', error]);
          const e = errors.get(eid) ?? { ...errorKey, error, failures: 0 };
          e.failures += sign;
          errors.set(eid, e);
        }
      }
    }
  };
  for (const [before, after] of changes) {
    if (before) spread(before, -1);
    if (after) spread(after, 1);
  }
  // The class sorts by its \u0000-joined key; the same order here from the same fields.
  const order = (id: string) => (JSON.parse(id) as unknown[]).join('\u0000');
  const byKey = <T>(map: Map<string, T>) =>
    [...map].sort(([a], [b]) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0)).map(([, v]) => v);
  return {
    rollups: byKey(rollups).filter((r) => r.succeeded || r.failed || r.timed || r.durationSumMs || r.bins.some((n) => n !== 0)),
    errors: byKey(errors).filter((e) => e.failures !== 0),
  };
}
