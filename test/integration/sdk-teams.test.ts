import { afterAll, beforeAll, expect, it } from 'vitest';
import { HookdApiError, HookdClient, type TeamConfiguration } from '../../src/sdk/hookd-client.ts';
import { createTestApp, listen, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

const CONFIG: TeamConfiguration = {
  team_name: 'Platform',
  default_channels: { blocker: '#platform-alerts' },
  notification_preferences: {
    batch_threshold: 5,
    batch_timeout_minutes: 10,
    quiet_hours: { enabled: false, start: '22:00', end: '07:00', time_zone: 'UTC' },
  },
  rules: [
    {
      rule_id: 'slow_tools',
      name: 'Slow tools',
      enabled: true,
      conditions: { logic: 'and', conditions: [{ field: 'data.duration_ms', operator: 'gt', value: 60_000 }] },
    },
  ],
};

describeEachDialect('SDK team configurations and rule tests', (dialect) => {
  let t: TestApp;
  let client: HookdClient;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    client = new HookdClient({ baseUrl: await listen(t) });
  });
  afterAll(async () => t?.close());

  it('gets the default, saves with revisions, lists, toggles, and surfaces 409 and 400 as HookdApiError', async () => {
    expect(await client.getTeamConfiguration('platform/ops')).toMatchObject({ team_id: 'platform/ops', revision: 0, is_default: true });
    const saved = await client.saveTeamConfiguration('platform', CONFIG, { revision: 0 });
    expect(saved).toMatchObject({ team_id: 'platform', revision: 1, is_default: false });
    expect(saved.configuration).toEqual(CONFIG);
    // No channel "#platform-alerts" exists: saved all the same, with a warning that reads do not repeat.
    expect(saved.warnings).toEqual([
      { field: 'configuration.default_channels.blocker', message: expect.stringContaining('#platform-alerts') },
    ]);
    expect(await client.getTeamConfiguration('platform')).toEqual({ ...saved, warnings: [] });
    const stale = await client.saveTeamConfiguration('platform', CONFIG, { revision: 0 }).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(HookdApiError);
    expect(stale).toMatchObject({ status: 409, code: 'revision_conflict' });
    const bad = await client
      .saveTeamConfiguration('platform', { ...CONFIG, rules: [{ ...CONFIG.rules[0]!, rule_id: 'has space' }] })
      .catch((e: unknown) => e);
    expect(bad).toMatchObject({ status: 400, code: 'validation_failed' });
    expect((await client.setTeamEnabled('platform', false, 1)).enabled).toBe(false);
    expect((await client.listTeams()).items).toEqual([
      expect.objectContaining({ team_id: 'platform', enabled: false, revision: 2, rules: 1 }),
    ]);
    await client.setTeamEnabled('platform', true);
  });

  it('testRules explains a verdict for a stored team and for a configuration sent with the request', async () => {
    const event = {
      event_type: 'tool_execution_completed',
      session_id: 'sdk-rules',
      team_id: 'platform',
      data: { tool_name: 'Bash', duration_ms: 90_000 },
    };
    const stored = await client.testRules({ event });
    expect(stored).toMatchObject({ team_id: 'platform', revision: 3, fired: ['slow_tools'] });
    const condition = stored.rules[0]!.conditions!.conditions[0]!;
    expect(condition).toMatchObject({ field: 'data.duration_ms', operator: 'gt', expected: 60_000, actual: 90_000, matched: true });
    const tried = await client.testRules({
      event,
      configuration: {
        ...CONFIG,
        rules: [
          {
            ...CONFIG.rules[0]!,
            conditions: { logic: 'and', conditions: [{ field: 'data.duration_ms', operator: 'gt', value: 120_000 }] },
          },
        ],
      },
    });
    expect(tried).toMatchObject({ revision: null, fired: [] });
  });
});
