// `hookd stats` as a user runs it: the built CLI as a process against a fresh database,
// seeded with `hookd import`, its output checked against the analytics service itself.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AnalyticsService } from '../../src/modules/analytics/analytics-service.ts';
import { describeEachDialect } from '../support/test-database.ts';
import { createCliContext, lines, type CliContext } from '../cli/cli-harness.ts';

const HOUR = 3_600_000;
// Whole hours, a day and more back: inside --since 7d and the default period of `stats tool`.
const BASE = Math.floor(Date.now() / HOUR) * HOUR - 30 * HOUR;
const at = (seconds: number) => new Date(BASE + seconds * 1000).toISOString();
const DAY = at(0).slice(0, 10);

/**
 * stats-a: explore, edit, a failed and a passing test run and one Explore subagent, ended
 * normally (an edit-test loop); stats-b, two hours later in another project: two reads.
 */
function seedFile(): string {
  const events: object[] = [];
  const event = (session: string, type: string, seconds: number, data: Record<string, unknown> = {}) =>
    events.push({
      event_id: `${session}-${events.length}`,
      session_id: session,
      event_type: type,
      timestamp: at(seconds),
      source: 'claude-code',
      data: { cwd: session === 'stats-a' ? '/home/ana/src/billing' : '/home/ana/src/web', ...data },
    });
  const call = (session: string, id: string, tool: string, seconds: number, ms: number, input: object, error?: string) => {
    event(session, 'tool_execution_started', seconds, { tool_name: tool, tool_use_id: id, tool_input: input });
    event(session, error ? 'tool_execution_failed' : 'tool_execution_completed', seconds + ms / 1000, {
      tool_name: tool,
      tool_use_id: id,
      ...(error ? { error } : {}),
    });
  };
  event('stats-a', 'session_started', 0, { model: 'claude-sonnet-4-5' });
  event('stats-a', 'prompt_submitted', 1, { prompt: 'fix the rounding' });
  call('stats-a', 'a1', 'Read', 2, 40, { file_path: 'src/round.ts' });
  call('stats-a', 'a2', 'Grep', 3, 60, { pattern: 'round' });
  call('stats-a', 'a3', 'Edit', 4, 120, { file_path: 'src/round.ts' });
  call('stats-a', 'a4', 'Bash', 5, 3100, { command: 'npm test' }, 'Exit code 1');
  call('stats-a', 'a5', 'Edit', 10, 90, { file_path: 'src/round.ts' });
  call('stats-a', 'a6', 'Bash', 11, 2900, { command: 'npm test' });
  call('stats-a', 'a7', 'Task', 20, 144_000, { subagent_type: 'Explore', description: 'find the callers' });
  event('stats-a', 'session_ended', 200, { reason: 'prompt_input_exit' });
  event('stats-b', 'session_started', 7200);
  call('stats-b', 'b1', 'Read', 7201, 30, { file_path: 'index.html' });
  call('stats-b', 'b2', 'Read', 7202, 25, { file_path: 'app.js' });
  return `${events.map((e) => JSON.stringify(e)).join('\n')}\n`;
}

type Answer<K extends 'tools' | 'recentWorkflows' | 'session'> = Awaited<ReturnType<AnalyticsService[K]>>;
type Answers = { tools: Answer<'tools'>; recent: Answer<'recentWorkflows'>; session: Answer<'session'> };

describeEachDialect('hookd stats', (dialect) => {
  let cli: CliContext;
  /** What the service answers on the same storage, read before the CLI runs (which then has nothing left to derive). */
  let service: Answers;
  beforeAll(async () => {
    cli = await createCliContext(dialect);
    const file = join(cli.home, 'seed.jsonl');
    writeFileSync(file, seedFile());
    const imported = await cli.run(['import', file]);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toBe('imported 22 events (0 duplicates, 0 invalid lines skipped)\n');
    service = await cli.withRuntime(async ({ services }) => {
      const analytics = services.analytics;
      return {
        tools: await analytics.tools({}, {}),
        recent: await analytics.recentWorkflows(7, {}),
        session: await analytics.session('stats-a', {}),
      };
    });
  });
  afterAll(async () => cli?.close());

  const ok = async (args: string[]) => {
    const res = await cli.run(args);
    expect(res.stderr, args.join(' ')).toBe('');
    expect(res.code, args.join(' ')).toBe(0);
    return res.stdout;
  };

  it('prints with --json exactly what the service answers, --json before or after the subcommand', async () => {
    const [after, before, since, recent] = await Promise.all([
      ok(['stats', 'tools', '--json']),
      ok(['stats', '--json', 'tools']),
      ok(['stats', 'tools', '--since', '7d', '--json']),
      ok(['stats', 'workflows', '--recent', '7', '--json']),
    ]);
    expect(JSON.parse(after)).toEqual(service.tools);
    expect(JSON.parse(before)).toEqual(service.tools);
    expect(JSON.parse(since)).toEqual(service.tools);
    expect(JSON.parse(recent)).toEqual(service.recent);
    expect(lines(after)).toHaveLength(1);
    const counts = Object.fromEntries(service.tools.items.map((t) => [t.tool_name, [t.total_uses, t.successful_uses, t.failed_uses]]));
    expect(counts).toEqual({ Read: [3, 3, 0], Bash: [2, 1, 1], Edit: [2, 2, 0], Grep: [1, 1, 0], Task: [1, 1, 0] });
  });

  it('shows tools, sessions, workflows, agents and quality as tables with right-aligned figures', async () => {
    const [tools, sessions, workflows, agents, quality, nothing] = await Promise.all([
      ok(['stats', 'tools']),
      ok(['stats', 'sessions', '--since', '7d']),
      ok(['stats', 'workflows']),
      ok(['stats', 'agents']),
      ok(['stats', 'quality']),
      ok(['stats', 'tools', '--source', 'nobody']),
    ]);
    const toolRows = lines(tools);
    expect(toolRows[0]).toMatch(/^TOOL\s+USES\s+OK\s+FAILED\s+SUCCESS\s+AVG\s+P50\s+P95\s+MOST COMMON ERROR$/);
    expect(toolRows.map((row) => row.split(/\s+/)[0])).toEqual(['TOOL', 'Read', 'Bash', 'Edit', 'Grep', 'Task']);
    expect(toolRows[2]).toMatch(/^Bash\s+2\s+1\s+1\s+50\.0%\s+3\.0 s\s+.*Exit code 1$/);
    expect(toolRows[1]).toMatch(/^Read\s+3\s+3\s+0\s+100\.0%\s+32 ms\s/);
    // Right-aligned: every row's SUCCESS cell ends where the header does.
    const end = toolRows[0]!.indexOf('SUCCESS') + 'SUCCESS'.length;
    for (const row of toolRows.slice(1)) expect(row.slice(0, end)).toMatch(/\d\.\d%$/);
    expect(tools).toContain('2.4 min');

    expect(lines(sessions)).toEqual([
      expect.stringMatching(/^START\s+SESSION\s+PROJECT\s+PATTERN\s+SCORE\s+TOOLS OK\/FAILED\s+DURATION$/),
      expect.stringMatching(/^\S+ \S+\s+stats-b\s+web\s+explore\s+\d+\s+2\/0\s+2\.0 s$/),
      expect.stringMatching(/^\S+ \S+\s+stats-a\s+billing\s+edit-test loop\s+\d+\s+6\/1\s+3\.3 min$/),
    ]);
    expect(lines(workflows)).toEqual([
      expect.stringMatching(/^PATTERN\s+SESSIONS\s+SHARE$/),
      expect.stringMatching(/^edit-test loop\s+1\s+50\.0%$/),
      expect.stringMatching(/^explore\s+1\s+50\.0%$/),
      '2 sessions',
    ]);
    expect(lines(agents)[1]).toMatch(/^Explore\s+1\s+1\s+1\s+0\s+100\.0%\s+2\.4 min/);
    expect(quality).toMatch(/session success scores[^\n]*\nSOURCE\s+SESSIONS\s+P50\s+P90\s+P95\s+P99\nclaude-code\s+2\s+\d+/);
    expect(quality).toMatch(/tool durations[^\n]*\nTOOL\s+TIMED CALLS\s+P50\s+P90\s+P95\s+P99\nRead\s+3\s+\d+ ms/);
    expect(nothing).toBe('no completed tool calls match\n');
  });

  it('shows one session as label and value lines, then its calls per tool', async () => {
    const [text, json] = await Promise.all([ok(['stats', 'session', 'stats-a']), ok(['stats', 'session', 'stats-a', '--json'])]);
    const expected = service.session;
    expect(expected.workflow_pattern).toBe('edit-test loop');
    const rows = lines(text);
    expect(rows).toContain(`pattern       ${expected.workflow_pattern}`);
    expect(rows).toContain(`score         ${expected.success_score}/100`);
    expect(rows).toContain('tool calls    7: 6 ok, 1 failed (85.7% success)');
    expect(rows).toContain('project       billing');
    expect(rows).toContain('team          -');
    expect(rows).toContainEqual(expect.stringMatching(/^ended {9}\S+ \S+ \(prompt_input_exit\)$/));
    const table = rows.slice(rows.indexOf('') + 1);
    expect(table[0]).toMatch(/^TOOL\s+USES\s+OK\s+FAILED\s+AVG$/);
    expect(table).toContainEqual(expect.stringMatching(/^Bash\s+2\s+1\s+1\s+3\.0 s$/));
    expect(JSON.parse(json)).toEqual(expected);
  });

  it('shows one tool: period totals, the change, then day by day', async () => {
    const [text, json] = await Promise.all([ok(['stats', 'tool', 'Bash']), ok(['stats', 'tool', 'Bash', '--json'])]);
    const rows = lines(text);
    expect(rows[0]).toBe('tool          Bash');
    expect(rows).toContain('uses          2: 1 ok, 1 failed');
    expect(rows).toContain('success       50.0%');
    expect(rows).toContain('common error  Exit code 1');
    expect(rows).toContainEqual(expect.stringMatching(/^previous {6}.*: 0 uses, - success, p50 -$/));
    expect(rows).toContain('change        uses -, success -, p50 -');
    const table = rows.slice(rows.indexOf('') + 1);
    expect(table).toEqual([
      expect.stringMatching(/^DAY\s+USES\s+OK\s+FAILED\s+SUCCESS\s+AVG$/),
      expect.stringMatching(new RegExp(`^${DAY}\\s+2\\s+1\\s+1\\s+50\\.0%\\s+3\\.0 s$`)),
    ]);
    expect(JSON.parse(json)).toMatchObject({
      tool_name: 'Bash',
      total_uses: 2,
      daily: [{ day: DAY, total_uses: 2, failed_uses: 1 }],
      previous: { total_uses: 0 },
    });
  });

  it('fails with the reason on stderr, and exit code 1, for bad filters and unknown ids', async () => {
    const [since, session, tool, misplaced] = await Promise.all([
      cli.run(['stats', 'tools', '--since', '7x']),
      cli.run(['stats', 'session', 'no-such-session']),
      cli.run(['stats', 'tool', 'NoSuchTool']),
      cli.run(['stats', 'session', 'stats-a', '--since', '7d']),
    ]);
    for (const res of [since, session, tool, misplaced]) {
      expect(res.code).toBe(1);
      expect(res.stdout).toBe('');
    }
    expect(since.stderr).toBe('hookd: since: must be a number and a unit: 90m, 24h, 7d or 4w\n');
    expect(session.stderr).toBe('hookd: session no-such-session not found\n');
    expect(tool.stderr).toBe('hookd: no completed calls of tool "NoSuchTool"\n');
    expect(misplaced.stderr).toMatch(/^error: --since does not apply to `hookd stats session`/);
  });
});
