// `hookd tasks` as a user runs it, against each storage.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/test-database.ts';
import { createCliContext, lines, type CliContext } from './cli-harness.ts';

describeEachDialect('hookd tasks', (dialect) => {
  let cli: CliContext;
  beforeAll(async () => {
    cli = await createCliContext(dialect);
  }, 60_000);
  afterAll(async () => cli?.close());

  it('creates, lists, updates, links and draws the dependency tree; refuses a cycle with its path', async () => {
    const first = await cli.run(['tasks', 'create', 'ENG-1', '--title', 'Ship the parser', '--priority', '8']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe('created task ENG-1 (queued)\n');
    expect((await cli.run(['tasks', 'create', 'ENG-2', '--title', 'Write the tests'])).code).toBe(0);
    expect((await cli.run(['tasks', 'create', 'ENG-3', '--title', 'Release'])).code).toBe(0);
    expect((await cli.run(['tasks', 'link', 'ENG-2', 'blocks', 'ENG-3'])).stdout).toBe('linked: ENG-2 blocks ENG-3\n');
    expect((await cli.run(['tasks', 'link', 'ENG-1', 'blocks', 'ENG-2'])).code).toBe(0);
    const cycle = await cli.run(['tasks', 'link', 'ENG-3', 'blocks', 'ENG-1']);
    expect(cycle.code).toBe(1);
    expect(cycle.stderr).toMatch(/cycle/);
    expect(cycle.stderr).toContain('ENG-3');

    const list = await cli.run(['tasks', 'list', '--min-priority', '6']);
    expect(lines(list.stdout)[0]).toMatch(/^TASK\s+STATUS\s+PRIORITY\s+TITLE/);
    expect(
      lines(list.stdout)
        .slice(1)
        .map((l) => l.split(/\s+/)[0]),
    ).toEqual(['ENG-1']);

    expect((await cli.run(['tasks', 'update', 'ENG-1', '--status', 'in_progress'])).stdout).toBe('updated task ENG-1 (in_progress)\n');
    const bad = await cli.run(['tasks', 'update', 'ENG-1', '--status', 'queued']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/in_progress.*queued|invalid_transition|transition/);

    const graph = lines((await cli.run(['tasks', 'graph', 'ENG-2'])).stdout);
    expect(graph[0]).toBe('ENG-2 [queued] Write the tests');
    expect(graph).toContain('  └ blocks ENG-3 [queued] Release');
    expect(graph).toContain('  └ blocks (by) ENG-1 [in_progress] Ship the parser');

    const shown = JSON.parse((await cli.run(['tasks', 'show', 'ENG-2', '--json'])).stdout);
    expect(
      shown.relationships.map((r: { from_task_id: string; to_task_id: string }) => `${r.from_task_id}>${r.to_task_id}`).sort(),
    ).toEqual(['ENG-1>ENG-2', 'ENG-2>ENG-3']);
    expect((await cli.run(['tasks', 'show', 'NOPE'])).code).toBe(1);
  }, 90_000);
});
