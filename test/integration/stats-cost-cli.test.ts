// `hookd stats cost` as a user runs it: the built CLI as a process against a fresh
// database, seeded with `hookd import`, its output checked against the cost service itself.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PRICES_AS_OF } from '../../src/modules/cost/model-prices.ts';
import type { CostReport } from '../../src/modules/cost-figures/cost-service.ts';
import { createCliContext, lines, type CliContext } from '../cli/cli-harness.ts';
import { describeEachDialect } from '../support/test-database.ts';
import { costDays, costEvents, dateOf } from './cost-fixtures.ts';

describeEachDialect('hookd stats cost', (dialect) => {
  let cli: CliContext;
  let byModel: CostReport;
  const now = Date.now();
  const { day1, day2 } = costDays(now);
  beforeAll(async () => {
    cli = await createCliContext(dialect);
    const file = join(cli.home, 'usage.jsonl');
    const events = costEvents(now);
    writeFileSync(file, `${events.map((e) => JSON.stringify(e)).join('\n')}\n`);
    const imported = await cli.run(['import', file]);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toBe(`imported ${events.length} events (0 duplicates, 0 invalid lines skipped)\n`);
    byModel = await cli.withRuntime(async ({ services }) => services.cost.cost({ group_by: 'model' }, {}));
  });
  afterAll(async () => cli?.close());

  const ok = async (args: string[]) => {
    const res = await cli.run(args);
    expect(res.stderr, args.join(' ')).toBe('');
    expect(res.code, args.join(' ')).toBe(0);
    return res.stdout;
  };

  it('prints tokens and cost per day, a totals line and the date of the prices', async () => {
    expect(lines(await ok(['stats', 'cost']))).toEqual([
      expect.stringMatching(/^DAY\s+REQUESTS\s+SESSIONS\s+INPUT\s+OUTPUT\s+CACHE READ\s+CACHE WRITE\s+COST\s+UNPRICED$/),
      expect.stringMatching(new RegExp(`^${dateOf(day1)}\\s+2\\s+2\\s+2,001,000\\s+200\\s+5,000\\s+300\\s+\\$2\\.55\\s+0$`)),
      expect.stringMatching(new RegExp(`^${dateOf(day2)}\\s+3\\s+3\\s+1,000,110\\s+100,015\\s+0\\s+0\\s+\\$1\\.51\\s+15$`)),
      expect.stringMatching(/^-+$/),
      expect.stringMatching(/^total\s+5\s+3\s+3,001,110\s+100,215\s+5,000\s+300\s+\$4\.06\s+15$/),
      `prices as of ${PRICES_AS_OF}; 15 tokens of models without a price are not in the cost`,
    ]);
  });

  it('groups and filters as the API does, and prints with --json what the service answers', async () => {
    const [json, models, sessions, limited, since] = await Promise.all([
      ok(['stats', 'cost', '--by', 'model', '--json']),
      ok(['stats', 'cost', '--by', 'model']),
      ok(['stats', 'cost', '--by', 'session', '--team', 'team-b', '--model', 'gpt-5-codex']),
      ok(['stats', 'cost', '--by', 'model', '--limit', '1']),
      ok(['stats', 'cost', '--since', '36h', '--json']),
    ]);
    expect(JSON.parse(json)).toEqual(byModel);
    expect(lines(json)).toHaveLength(1);
    expect(lines(models).map((row) => row.split(/\s{2,}/)[0])).toEqual([
      'MODEL',
      'gpt-5-codex',
      'claude-haiku-4-5',
      'claude-sonnet-4-5-20250929',
      'mystery-model',
      expect.stringMatching(/^-+$/),
      'total',
      expect.stringMatching(/^prices as of/),
    ]);
    expect(lines(sessions).slice(0, 3)).toEqual([
      expect.stringMatching(/^SESSION\s/),
      expect.stringMatching(/^cost-2\s+1\s+1\s+2,000,000\s+0\s+0\s+0\s+\$2\.50\s+0$/),
      expect.stringMatching(/^cost-3\s+1\s+1\s+100\s+10\s+0\s+0\s+\$0\.0100\s+0$/),
    ]);
    expect(lines(limited)).toContain('the 1 biggest of more groups; the total covers them all (--limit shows more)');
    expect(JSON.parse(since).items.map((i: { key: string }) => i.key)).toEqual([dateOf(day2)]);
  });

  it('fails with the reason on stderr, and exit code 1, for a bad grouping or filter', async () => {
    const [by, since, limit, nothing] = await Promise.all([
      cli.run(['stats', 'cost', '--by', 'week']),
      cli.run(['stats', 'cost', '--since', '7x']),
      cli.run(['stats', 'cost', '--by', 'model', '--limit', '0']),
      cli.run(['stats', 'cost', '--project', 'nowhere']),
    ]);
    for (const res of [by, since, limit]) {
      expect(res.code).toBe(1);
      expect(res.stdout).toBe('');
    }
    expect(by.stderr).toMatch(/--by <grouping>.*'week' is invalid.*day, model, project, team, source, session/);
    expect(since.stderr).toBe('hookd: since: must be a number and a unit: 90m, 24h, 7d or 4w\n');
    expect(limit.stderr).toMatch(/--limit must be a whole number from 1 to 1000/);
    expect(nothing).toMatchObject({ code: 0, stdout: 'no token usage matches\n', stderr: '' });
  });
});
