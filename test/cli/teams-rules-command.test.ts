// `hookd teams` and `hookd rules test` as a user runs them, and rules firing on events that
// `hookd emit` wrote straight into the SQLite file while no server ran.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/test-database.ts';
import { createCliContext, lines, type CliContext } from './cli-harness.ts';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/claude-code');
const FAILURE = join(FIXTURES, 'PostToolUseFailure.json');
const CONFIG = {
  team_name: 'Billing',
  rules: [
    {
      rule_id: 'bash_failures',
      name: 'Failed Bash',
      hook_types: ['PostToolUseFailure'],
      conditions: {
        logic: 'and',
        conditions: [
          { field: 'data.tool_name', operator: 'equals', value: 'Bash' },
          { field: 'data.error', operator: 'regex', value: '(?i)exit code [1-9]' },
        ],
      },
    },
    {
      rule_id: 'edits',
      name: 'Edits',
      hook_types: ['PostToolUse'],
      conditions: { logic: 'and', conditions: [{ field: 'data.tool_name', operator: 'equals', value: 'Edit' }] },
    },
  ],
};

describeEachDialect('hookd teams and hookd rules test', (dialect) => {
  let cli: CliContext;
  let file: string;
  beforeAll(async () => {
    cli = await createCliContext(dialect);
    file = join(cli.home, 'billing.json');
    writeFileSync(file, JSON.stringify(CONFIG));
  });
  afterAll(async () => cli?.close());

  it('sets, gets, lists, disables and enables a team, refusing a stale revision and a bad file with exit 1', async () => {
    const saved = await cli.run(['teams', 'set', 'billing', '--file', file, '--revision', '0']);
    expect(saved.stdout).toBe('saved team billing: revision 1, enabled, 2 rules\n');
    const audit = saved.stderr.split('\n').filter((line) => line.includes('"audit"'));
    expect(audit.map((line) => JSON.parse(line).audit)).toEqual([
      { actor: 'cli', action: 'team.configure', target: 'billing', team: 'billing', session: null },
    ]);
    const stale = await cli.run(['teams', 'set', 'billing', '--file', file, '--revision', '0']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/revision 1, not 0/);

    const got = await cli.run(['teams', 'get', 'billing']);
    expect(JSON.parse(got.stdout)).toMatchObject(CONFIG);
    expect(got.stderr).toBe('team billing: revision 1, enabled, 2 rules\n');
    const json = JSON.parse((await cli.run(['teams', 'get', 'billing', '--json'])).stdout);
    expect(json).toMatchObject({ team_id: 'billing', revision: 1, is_default: false });

    const disabled = await cli.run(['teams', 'disable', 'billing']);
    expect(disabled.stdout).toBe('team billing: revision 2, disabled, 2 rules\n');
    expect(disabled.stderr).toContain('"action":"team.disable"');
    expect((await cli.run(['teams', 'enable', 'billing', '--revision', '2'])).stdout).toBe('team billing: revision 3, enabled, 2 rules\n');
    const table = lines((await cli.run(['teams', 'list'])).stdout);
    expect(table[0]).toMatch(/^TEAM\s+NAME\s+ENABLED\s+REVISION\s+RULES\s+UPDATED$/);
    expect(table[1]).toMatch(/^billing\s+Billing\s+yes\s+3\s+2\s+\d{4}-/);

    const badFile = join(cli.home, 'bad.json');
    writeFileSync(
      badFile,
      JSON.stringify({
        rules: [{ rule_id: 'x', name: 'x', conditions: { logic: 'and', conditions: [{ field: 'data.a', operator: 'near', value: 1 }] } }],
      }),
    );
    const bad = await cli.run(['teams', 'set', 'billing', '--file', badFile]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('configuration.rules[0].conditions.conditions[0].operator');
    expect((await cli.run(['teams', 'set', 'billing', '--revision', 'x', '--file', file])).code).not.toBe(0);
  });

  it('rules test explains each condition for a raw hook payload, and --json is the API reply', async () => {
    const run = await cli.run(['rules', 'test', '--team', 'billing', '--event', FAILURE]);
    expect(run.code, run.stderr).toBe(0);
    const out = run.stdout;
    expect(out).toContain('fired: bash_failures');
    expect(out).toMatch(/FIRES\s+bash_failures "Failed Bash": conditions matched/);
    expect(out).toMatch(/✓ data\.error regex "\(\?i\)exit code \[1-9\]"\s+\(found: "Exit code 1\\nFAIL/);
    expect(out).toMatch(/no\s+edits "Edits": not one of its hook_types/);
    const json = JSON.parse((await cli.run(['rules', 'test', '--team', 'billing', '--event', FAILURE, '--json'])).stdout);
    expect(json.fired).toEqual(['bash_failures']);
    expect(json.rules[0].conditions.conditions[1]).toMatchObject({ field: 'data.error', operator: 'regex', found: true, matched: true });

    // A configuration tried from a file: the same rules with the Bash condition flipped.
    const flipped = join(cli.home, 'flipped.json');
    writeFileSync(
      flipped,
      JSON.stringify({
        rules: [
          {
            ...CONFIG.rules[0],
            conditions: { logic: 'and', conditions: [{ field: 'data.tool_name', operator: 'not_equals', value: 'Bash' }] },
          },
        ],
      }),
    );
    const tried = await cli.run(['rules', 'test', '--team', 'billing', '--event', FAILURE, '--config', flipped]);
    expect(tried.stdout).toContain('fired: none');
    expect(tried.stdout).toMatch(/✗ data\.tool_name not_equals "Bash"\s+\(found: "Bash"\)/);
  });
});

it('fires rules on events hookd emit wrote into the SQLite file while no server ran, once', async () => {
  const cli = await createCliContext('sqlite');
  try {
    const file = join(cli.home, 'billing.json');
    writeFileSync(file, JSON.stringify({ ...CONFIG, claims: { projects: ['billing'] } }));
    expect((await cli.run(['teams', 'set', 'billing', '--file', file])).code).toBe(0);
    const payload = readFileSync(FAILURE, 'utf8');
    // The fixture's cwd (/home/ana/src/billing) is not a repository here: its folder name is the project.
    for (let i = 0; i < 2; i++) {
      const child = spawn(join(resolve(import.meta.dirname, '../..'), 'bin/hookd'), ['emit'], {
        env: { PATH: process.env.PATH ?? '', ...cli.env },
      });
      child.stdin.end(payload.replace('toolu_01C', `toolu_0${i}`));
      expect(await new Promise((done) => child.on('close', done))).toBe(0);
    }
    const fired = async () =>
      cli.withRuntime(async (runtime) => {
        await runtime.services.rules.catchUp();
        return (await runtime.services.executions.list({ team_id: 'billing', hook_type: 'rule' }, {})).items;
      });
    const first = await fired();
    expect(first.map((e) => e.hook_id)).toEqual(['bash_failures', 'bash_failures']);
    expect(first.every((e) => e.project_key === 'billing' && e.status === 'SUCCESS')).toBe(true);
    // Another start finds nothing left to evaluate.
    expect((await fired()).map((e) => e.execution_id).sort()).toEqual(first.map((e) => e.execution_id).sort());
  } finally {
    await cli.close();
  }
});
