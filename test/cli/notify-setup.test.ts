import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runHookd, startHookd, stopAllHookd, type HookdProcess } from '../support/hookd-process.ts';
import { startReceiver, type Receiver } from '../support/receivers.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/test-database.ts';

const fixture = async (name: string) =>
  JSON.parse(
    await (await import('node:fs/promises')).readFile(new URL(`../fixtures/claude-code/${name}.json`, import.meta.url), 'utf8'),
  ) as Record<string, unknown>;

/**
 * One person's setup as the README gives it: a server running, `hookd notify setup --slack
 * URL`, then an agent's permission prompt and its stop reach Slack, with no team configured.
 */
describeEachDialect('hookd notify setup', (dialect) => {
  let db: TestDatabase;
  let slack: Receiver;
  let server: HookdProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    slack = await startReceiver({ kind: 'slack' });
    env = {
      HOOKD_HOME: mkdtempSync(join(tmpdir(), 'hookd-notify-')),
      HOOKD_DATABASE_URL: db.url,
      HOOKD_SECRET_KEY: `k1:${Buffer.alloc(32, 4).toString('base64')}`,
      HOOKD_NOTIFY_ALLOW_PRIVATE: 'true',
      HOOKD_RULES_INTERVAL_MS: '20',
      HOOKD_NOTIFY_POLL_MS: '100',
    };
    server = await startHookd({ env });
  });
  afterAll(async () => {
    await stopAllHookd();
    await slack?.close();
    await db?.cleanup();
  });

  const hook = async (payload: Record<string, unknown>) => {
    const res = await fetch(`${server.url}/hooks/claude-code`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...payload, session_id: `solo-${dialect}` }),
    });
    expect(res.status, await res.text()).toBe(200);
  };
  const received = async (title: string) => {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (slack.requests.some((r) => JSON.parse(r.body).text?.includes(title))) return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  };

  it('adds the channel and the preset, sends a test message, finds the server, and delivers what the agent reports', async () => {
    const url = `${slack.url}services/T0/B0/solo`;
    const setup = await runHookd(['notify', 'setup', '--slack', url, '--on', 'permission,input,stop', '--url', server.url], env);
    expect(setup.code, setup.stderr).toBe(0);
    expect(setup.stdout).toContain('added slack channel notify-slack');
    expect(setup.stdout).toMatch(/test message delivered \(200 in \d+ ms\)/);
    expect(setup.stdout).toContain(`a hookd server answers at ${server.url}`);
    expect(setup.stdout).not.toContain('/services/T0/B0/solo');
    expect(setup.stderr).toContain('"action":"team.configure","target":"installation"');
    expect(setup.stderr).not.toContain('/services/T0/B0/solo');
    expect(JSON.parse(slack.requests[0]!.body).text).toContain('hookd test message for notify-slack');

    await hook(await fixture('PermissionRequest'));
    expect(await received('Permission requested: Bash')).toBe(true);
    await hook(await fixture('Stop'));
    expect(await received('Agent stopped')).toBe(true);
    // A failure is not among the kinds asked for.
    await hook(await fixture('PostToolUseFailure'));
    await new Promise((r) => setTimeout(r, 1_000));
    expect(slack.requests.some((r) => JSON.parse(r.body).text?.includes('Tool failed'))).toBe(false);
  });

  it('replaces its own rules when run again, keeps the channel, and says when no server runs', async () => {
    const url = `${slack.url}services/T0/B0/solo`;
    const again = await runHookd(
      ['notify', 'setup', '--slack', url, '--on', 'failure', '--no-test', '--url', 'http://127.0.0.1:9', '--json'],
      env,
    );
    expect(again.code, again.stderr).toBe(0);
    const report = JSON.parse(again.stdout);
    expect(report).toMatchObject({ created: false, kinds: ['failure'], team: 'installation', test: null, server: { answers: false } });
    const team = (await (await fetch(`${server.url}/teams/installation/configuration`)).json()) as {
      configuration: { rules: { rule_id: string }[] };
    };
    expect(team.configuration.rules.map((r: { rule_id: string }) => r.rule_id)).toEqual(['notify-failure']);

    const plain = await runHookd(['notify', 'setup', '--slack', url, '--on', 'failure', '--no-test', '--url', 'http://127.0.0.1:9'], env);
    expect(plain.stdout).toContain('no hookd server answers at http://127.0.0.1:9');
    expect(plain.stdout).toContain('hookd service install');

    const bad = await runHookd(['notify', 'setup', '--slack', url, '--on', 'lunch'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('on');
    expect(bad.stderr).toContain('lunch');
  });

  it('holds what follows within the digest minutes, and the list says why and until when', async () => {
    const url = `${slack.url}services/T0/B0/solo`;
    const setup = await runHookd(
      ['notify', 'setup', '--slack', url, '--on', 'stop', '--digest-minutes', '30', '--no-test', '--url', server.url],
      env,
    );
    expect(setup.code, setup.stderr).toBe(0);
    const stop = await fixture('Stop');
    for (const sid of ['a', 'b']) {
      const res = await fetch(`${server.url}/hooks/claude-code`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...stop, session_id: `digest-${sid}-${dialect}` }),
      });
      expect(res.status).toBe(200);
    }
    const deadline = Date.now() + 15_000;
    let listed = '';
    while (Date.now() < deadline) {
      listed = (await runHookd(['notifications', 'list', '--status', 'held'], env)).stdout;
      if (listed.includes('held (digest) until')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(listed).toMatch(/held \(digest\) until \S+/);
  });
});
