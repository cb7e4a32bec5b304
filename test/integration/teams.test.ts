import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, JSON_HEADERS, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

const ENGINEERING = {
  team_name: 'Engineering Team',
  version: '1.0.0',
  default_channels: { status_change: '#eng-updates', blocker: '#eng-alerts' },
  notification_preferences: {
    batch_threshold: 3,
    batch_timeout_minutes: 5,
    quiet_hours: { enabled: true, start: '22:00', end: '08:00', time_zone: 'Europe/Berlin' },
  },
  claims: { projects: ['hookd'], sources: [] },
  rules: [
    {
      rule_id: 'bash_failures',
      name: 'Failed Bash commands',
      hook_types: ['tool_execution_failed'],
      enabled: true,
      conditions: { logic: 'and', conditions: [{ field: 'data.tool_name', operator: 'equals', value: 'Bash' }] },
    },
  ],
};

describeEachDialect('team configurations', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const send = async (method: 'POST' | 'PUT' | 'GET', url: string, body?: unknown) => {
    const res = await t.app.inject({
      method,
      url,
      ...(body === undefined ? {} : { headers: JSON_HEADERS, payload: JSON.stringify(body) }),
    });
    return { status: res.statusCode, body: res.json() };
  };

  it('answers the documented default for a team without a configuration, revision 0', async () => {
    const res = await send('GET', '/teams/nobody/configuration');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ team_id: 'nobody', revision: 0, is_default: true, enabled: true, created_at: null });
    expect(res.body.configuration).toMatchObject({ rules: [], notification_preferences: { batch_threshold: 3, batch_timeout_minutes: 5 } });
    expect((await send('GET', '/teams')).body.items.find((i: { team_id: string }) => i.team_id === 'nobody')).toBeUndefined();
  });

  it("saves, counts revisions, refuses a stale revision with 409 and keeps the seed's version as data", async () => {
    const first = await send('PUT', '/teams/engineering/configuration', { configuration: ENGINEERING, revision: 0 });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ team_id: 'engineering', revision: 1, is_default: false, enabled: true });
    expect(first.body.configuration).toEqual(ENGINEERING);

    const again = await send('PUT', '/teams/engineering/configuration', { configuration: ENGINEERING, revision: 0 });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('revision_conflict');

    const second = await send('PUT', '/teams/engineering/configuration', {
      configuration: { ...ENGINEERING, version: '1.1.0' },
      revision: 1,
    });
    expect(second.body).toMatchObject({ revision: 2 });
    const stale = await send('PUT', '/teams/engineering/configuration', { configuration: ENGINEERING, revision: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toContain('revision 2');

    // Without a revision a save is unconditional.
    expect((await send('PUT', '/teams/engineering/configuration', { configuration: ENGINEERING })).body.revision).toBe(3);
    const read = await send('GET', '/teams/engineering/configuration');
    expect(read.body).toMatchObject({ revision: 3, is_default: false });
    expect(read.body.configuration).toEqual(ENGINEERING);

    const list = await send('GET', '/teams');
    expect(list.body.items).toContainEqual(
      expect.objectContaining({ team_id: 'engineering', team_name: 'Engineering Team', revision: 3, rules: 1, enabled_rules: 1 }),
    );
  });

  it('disables and enables, each a revision, keeping the configuration', async () => {
    await send('PUT', '/teams/toggle/configuration', { configuration: { rules: [] } });
    const off = await send('POST', '/teams/toggle/disable');
    expect(off.body).toMatchObject({ enabled: false, revision: 2 });
    const stale = await send('POST', '/teams/toggle/enable', { revision: 1 });
    expect(stale.status).toBe(409);
    expect((await send('POST', '/teams/toggle/enable', { revision: 2 })).body).toMatchObject({ enabled: true, revision: 3 });
    // A team without a configuration can be disabled: it gets the default one, disabled.
    expect((await send('POST', '/teams/fresh/disable')).body).toMatchObject({ enabled: false, revision: 1, is_default: false });
  });

  it('reports every problem of a bad configuration with its path, and stores nothing', async () => {
    const bad = {
      team_name: 7,
      rule: [],
      notification_preferences: {
        batch_threshold: 0,
        quiet_hours: { enabled: true, start: '25:00', end: '08:00', time_zone: 'Mars/Olympus' },
      },
      rules: [
        { rule_id: 'a', name: 'A', conditions: { logic: 'xor', conditions: [] } },
        {
          rule_id: 'b',
          name: 'B',
          conditions: { logic: 'and', conditions: [{ field: 'data.__proto__.x', operator: 'equals', value: 1 }] },
        },
        { rule_id: 'c', name: 'C', conditions: { logic: 'and', conditions: [{ field: 'data.x', operator: 'resembles', value: 1 }] } },
        { rule_id: 'd', name: 'D', conditions: { logic: 'and', conditions: [{ field: 'data.x', operator: 'regex', value: '(a)\\1' }] } },
        { rule_id: 'e', name: 'E', conditions: { logic: 'and', conditions: [{ field: 'data.x', operator: 'in', value: 'Bash' }] } },
      ],
    };
    const res = await send('PUT', '/teams/broken/configuration', { configuration: bad });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    const fields = (res.body.error.details.problems as { field: string }[]).map((p) => p.field);
    for (const expected of [
      'configuration.team_name',
      'configuration.rule',
      'configuration.notification_preferences.batch_threshold',
      'configuration.notification_preferences.quiet_hours.start',
      'configuration.notification_preferences.quiet_hours.time_zone',
      'configuration.rules[0].conditions.logic',
      'configuration.rules[1].conditions.conditions[0].field',
      'configuration.rules[2].conditions.conditions[0].operator',
      'configuration.rules[3].conditions.conditions[0].value',
      'configuration.rules[4].conditions.conditions[0].value',
    ]) {
      expect(fields, JSON.stringify(res.body.error.details.problems)).toContain(expected);
    }
    expect((await send('GET', '/teams/broken/configuration')).body.is_default).toBe(true);
  });

  it('refuses nesting past the depth limit, a body that is not an object and a second team claiming a project', async () => {
    let group: Record<string, unknown> = { field: 'data.x', operator: 'exists' };
    for (let i = 0; i < 12; i++) group = { logic: 'and', conditions: [group] };
    const deep = await send('PUT', '/teams/deep/configuration', {
      configuration: { rules: [{ rule_id: 'deep', name: 'deep', conditions: group }] },
    });
    expect(deep.status).toBe(400);
    expect(deep.body.error.message).toMatch(/deep|depth|nest/i);

    expect((await send('PUT', '/teams/x/configuration', { configuration: [] })).status).toBe(400);
    const typo = await send('PUT', '/teams/x/configuration', { configuration: {}, revison: 1 });
    expect(typo.status).toBe(400);
    expect(typo.body.error.message).toBe('body.revison: is not a known field');
    expect((await send('PUT', '/teams/x/configuration', { configuration: {}, revision: -1 })).status).toBe(400);

    await send('PUT', '/teams/claimer/configuration', { configuration: { claims: { projects: ['shared-repo'] }, rules: [] } });
    const clash = await send('PUT', '/teams/other/configuration', { configuration: { claims: { projects: ['shared-repo'] }, rules: [] } });
    expect(clash.status).toBe(409);
    expect(clash.body.error).toMatchObject({ code: 'claim_conflict', details: { team_id: 'claimer' } });
    // Disabled, it may hold the same claim: only enabled teams decide an event's team.
    expect(
      (
        await send('PUT', '/teams/other/configuration', {
          configuration: { claims: { projects: ['shared-repo'] }, rules: [] },
          enabled: false,
        })
      ).status,
    ).toBe(200);
  });

  it('saves a configuration naming channels the team cannot see, listing each as a warning with its path', async () => {
    const channel = (channelId: string, teamId: string | null) => ({
      channelId,
      teamId,
      kind: 'slack' as const,
      name: null,
      // Stored as is: no secret key in this suite, and nothing here is delivered.
      urlSealed: 'hks1:test:sealed',
      urlHint: 'https://hooks.slack.com/services/T0***',
      secretSealed: null,
      paused: false,
      pausedReason: null,
      pausedAt: null,
      failureStreak: 0,
      createdAt: Date.now(),
      updatedAt: Date.now(),
    });
    const { channels } = t.runtime.services.stores;
    await channels.create(channel('warn-own', 'warned'));
    await channels.create(channel('warn-shared', null));
    await channels.create(channel('warn-theirs', 'someone-else'));
    const rule = (rule_id: string, list: string[]) => ({
      rule_id,
      name: rule_id,
      channels: list,
      conditions: { logic: 'and', conditions: [] },
    });
    const configuration = {
      default_channels: { permission: 'warn-shared', stop: 'warn-nowhere' },
      rules: [rule('first', ['warn-own', 'warn-ghost', 'warn-theirs']), rule('second', ['warn-shared'])],
    };
    const message = (id: string) => `no channel "${id}" exists (yet): its notifications would wait, then die`;
    const saved = await send('PUT', '/teams/warned/configuration', { configuration, revision: 0 });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({ team_id: 'warned', revision: 1 });
    // Another team's channel is as unknown as a missing one: its name is not told.
    expect(saved.body.warnings).toEqual([
      { field: 'configuration.rules[0].channels[1]', message: message('warn-ghost') },
      { field: 'configuration.rules[0].channels[2]', message: message('warn-theirs') },
      { field: 'configuration.default_channels.stop', message: message('warn-nowhere') },
    ]);
    expect(saved.body.configuration).toMatchObject(configuration);
    expect((await send('GET', '/teams/warned/configuration')).body).toMatchObject({ revision: 1, warnings: [] });

    await channels.create(channel('warn-ghost', 'warned'));
    await channels.create(channel('warn-nowhere', null));
    const again = await send('PUT', '/teams/warned/configuration', { configuration, revision: 1 });
    expect(again.body).toMatchObject({ revision: 2 });
    expect(again.body.warnings).toEqual([{ field: 'configuration.rules[0].channels[2]', message: message('warn-theirs') }]);
    expect((await send('POST', '/teams/warned/disable', {})).body.warnings).toEqual([]);
  });
});

describeEachDialect('team configurations with team-bound tokens', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it('a token bound to a team reads and changes only that team, and only admin saves', async () => {
    const tokens = t.runtime.services.tokens;
    const { token: admin } = await tokens.create({ scopes: ['admin'] });
    const { token: redAdmin } = await tokens.create({ scopes: ['admin'], teamId: 'red' });
    const { token: redReader } = await tokens.create({ scopes: ['read'], teamId: 'red' });
    const call = async (token: string, method: 'GET' | 'PUT', url: string, body?: unknown) => {
      const res = await t.app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : JSON_HEADERS) },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
      return { status: res.statusCode, body: res.json() };
    };
    expect((await call(admin, 'PUT', '/teams/blue/configuration', { configuration: { rules: [] } })).status).toBe(200);
    expect((await call(redAdmin, 'PUT', '/teams/red/configuration', { configuration: { rules: [] } })).status).toBe(200);
    const other = await call(redAdmin, 'PUT', '/teams/blue/configuration', { configuration: { rules: [] } });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('team_mismatch');
    expect((await call(redReader, 'GET', '/teams/red/configuration')).body.revision).toBe(1);
    expect((await call(redReader, 'GET', '/teams/blue/configuration')).status).toBe(403);
    expect((await call(redReader, 'PUT', '/teams/red/configuration', { configuration: { rules: [] } })).status).toBe(403);
    expect((await call(redReader, 'GET', '/teams')).body.items.map((i: { team_id: string }) => i.team_id)).toEqual(['red']);
    expect((await call(admin, 'GET', '/teams')).body.items.map((i: { team_id: string }) => i.team_id)).toEqual(['blue', 'red']);
  });
});
