import { describe, expect, it } from 'vitest';
import { AnalyticsDeltas, DAY_MS, errorClassOf, HOUR_MS, type ToolUseFacts } from './tool-use-contribution.ts';
import { toolCategoryOf } from './tool-category.ts';

const call = (over: Partial<ToolUseFacts> = {}): ToolUseFacts => ({
  sessionId: 's1', toolName: 'Bash', inputSummary: 'npm test', status: 'succeeded', startedAt: 5 * HOUR_MS + 10, endedAt: 5 * HOUR_MS + 2000,
  durationMs: 1990, error: null, subagentType: null, source: 'claude-code', project: 'billing', teamId: null, ...over,
});

describe('tool call contributions', () => {
  it('count a completed call once per grain in the hour and once in the UTC day it started; a running call only in the session counters', () => {
    const d = new AnalyticsDeltas();
    d.add(null, call({ startedAt: 2 * DAY_MS + 5 * HOUR_MS + 10 }));
    for (const span of ['hour', 'day']) expect(d.rollupRows().filter((r) => r.span === span).map((r) => r.grain).sort()).toEqual(['all', 'full', 'project', 'source']);
    expect(new Set(d.rollupRows().filter((r) => r.span === 'hour').map((r) => r.bucket))).toEqual(new Set([2 * DAY_MS + 5 * HOUR_MS]));
    expect(new Set(d.rollupRows().filter((r) => r.span === 'day').map((r) => r.bucket))).toEqual(new Set([2 * DAY_MS]));
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
    expect(d.errorRows().filter((e) => e.grain === 'all' && e.span === 'hour')).toEqual([expect.objectContaining({ error: 'Agent crashed', failures: 2 })]);
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
});
