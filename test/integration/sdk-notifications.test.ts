import { afterAll, beforeAll, expect, it } from 'vitest';
import { newWebhookSecret } from '../../src/modules/channels/webhook-payload.ts';
import { HookdClient, type Notification } from '../../src/sdk/hookd-client.ts';
import { startReceiver, type Receiver, type WebhookReceiver } from '../support/receivers.ts';
import { rejection } from '../support/sdk-rejection.ts';
import { createTestApp, JSON_HEADERS, listen, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

const TEAM = 'sdk-eng';
const SLACK_PATH = '/services/T0SDK/B0SDK/XXXXsdksecretXXXX';

describeEachDialect('SDK channels, notifications and the config store', (dialect) => {
  let t: TestApp;
  let client: HookdClient;
  let slack: Receiver;
  let hook: WebhookReceiver;
  const secret = newWebhookSecret();
  const base = (r: Receiver) => r.url.replace(/\/$/, '');

  beforeAll(async () => {
    slack = await startReceiver({ kind: 'slack' });
    hook = await startReceiver({ kind: 'webhook', secret });
    t = await createTestApp(dialect, {
      HOOKD_SECRET_KEY: `k1:${Buffer.alloc(32, 5).toString('base64')}`,
      HOOKD_NOTIFY_ALLOW_PRIVATE: 'true',
    });
    client = new HookdClient({ baseUrl: await listen(t) });
  });
  afterAll(async () => {
    await t?.close();
    await slack?.close();
    await hook?.close();
  });

  it('adds, reads, changes, tests, pauses and resumes channels, URLs redacted, errors as HookdApiError', async () => {
    const created = await client.createChannel({ channel_id: 'sdk.slack', kind: 'slack', url: `${base(slack)}${SLACK_PATH}`, name: 'Ops' });
    expect(created).toMatchObject({ channel_id: 'sdk.slack', kind: 'slack', team_id: null, name: 'Ops', has_secret: false, paused: false });
    expect(created.url).toMatch(/\/services\/T0\*\*\*$/);
    const signed = await client.createChannel({ channel_id: 'sdk-hook', kind: 'webhook', url: `${base(hook)}/in`, secret, team_id: TEAM });
    expect(signed).toMatchObject({ team_id: TEAM, has_secret: true });

    expect(await rejection(client.createChannel({ channel_id: 'sdk.slack', kind: 'slack', url: `${base(slack)}/x` }))).toMatchObject({
      status: 409,
      code: 'channel_exists',
    });
    const bad = await rejection(client.createChannel({ channel_id: 'x', kind: 'webhook', url: `${base(hook)}/in` }));
    expect(bad).toMatchObject({ status: 400, code: 'validation_failed' });
    expect((bad.details as { problems: { field: string }[] }).problems.map((p) => p.field)).toEqual(['secret']);

    expect((await client.listChannels()).items.map((c) => c.channel_id)).toEqual(['sdk-hook', 'sdk.slack']);
    expect(await client.getChannel('sdk.slack')).toEqual(created);
    expect(await rejection(client.getChannel('no-such-channel'))).toMatchObject({ status: 404, code: 'channel_not_found' });
    // Encoded as one path segment: refused by the id's pattern, not routed elsewhere.
    expect(await rejection(client.getChannel('no such/channel'))).toMatchObject({ status: 400, code: 'validation_failed' });

    const renamed = await client.updateChannel('sdk.slack', { name: null });
    expect(renamed).toMatchObject({ channel_id: 'sdk.slack', name: null });
    const tested = await client.testChannel('sdk.slack');
    expect(tested).toMatchObject({ delivered: true, outcome: 'sent', status_code: 200 });
    expect(slack.requests.at(-1)!.path).toBe(SLACK_PATH);
    expect(await client.pauseChannel('sdk.slack', 'maintenance')).toMatchObject({ paused: true, paused_reason: 'maintenance' });
    expect(await client.pauseChannel('sdk.slack')).toMatchObject({ paused: true, paused_reason: 'paused by local' });
    expect(await client.resumeChannel('sdk.slack')).toMatchObject({ paused: false, paused_reason: null });

    const temporary = await client.createChannel({ channel_id: 'sdk-temp', kind: 'slack', url: `${base(slack)}/services/T1/B1/C1` });
    expect(await client.removeChannel(temporary.channel_id)).toBeUndefined();
    expect(await rejection(client.getChannel('sdk-temp'))).toMatchObject({ status: 404, code: 'channel_not_found' });
    expect(await rejection(client.removeChannel('sdk-temp'))).toMatchObject({ status: 404, code: 'channel_not_found' });
  });

  it('lists notifications with filters and cursors, shows one with its attempts, retries and replays dead ones', async () => {
    const team = await client.saveTeamConfiguration(TEAM, {
      default_channels: {},
      notification_preferences: {
        batch_threshold: 1,
        batch_timeout_minutes: 0,
        quiet_hours: { enabled: false, start: '22:00', end: '08:00', time_zone: 'UTC' },
      },
      rules: [{ rule_id: 'failed', name: 'Failed tools', channels: ['sdk-hook'], conditions: { logic: 'and', conditions: [] } }],
    });
    expect(team.warnings).toEqual([]);
    const events = [1, 2, 3].map((n) => ({
      session_id: 'sdk-notify',
      event_type: 'tool_execution_failed',
      team_id: TEAM,
      timestamp: new Date(Date.now() - (4 - n) * 1000).toISOString(),
      data: { tool_name: 'Bash', tool_use_id: `sdk-t${n}`, error: `Exit code ${n}` },
    }));
    const stored = await t.app.inject({ method: 'POST', url: '/events/batch', headers: JSON_HEADERS, payload: JSON.stringify(events) });
    expect(stored.statusCode, stored.body).toBe(202);
    await t.runtime.services.rules.catchUp();

    const first = await client.listNotifications({ team_id: TEAM, channel: 'sdk-hook', limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = await client.listNotifications({ team_id: TEAM, limit: 2, cursor: first.next_cursor! });
    expect(second).toMatchObject({ items: [expect.objectContaining({ channel: 'sdk-hook' })], next_cursor: null });
    const all: Notification[] = [];
    for await (const n of client.allNotifications({ session_id: 'sdk-notify', limit: 1 })) all.push(n);
    expect(all.map((n) => n.notification_id)).toEqual([...first.items, ...second.items].map((n) => n.notification_id));
    expect(all.every((n) => n.status === 'pending' && n.team_id === TEAM)).toBe(true);

    // Refused for good: dead at once.
    hook.setScript([
      { status: 400, body: 'bad payload' },
      { status: 400, body: 'bad payload' },
      { status: 400, body: 'bad payload' },
    ]);
    expect(await t.runtime.services.notificationWorker.drain()).toBe(3);
    const dead = await client.listNotifications({ status: 'dead', channel: 'sdk-hook' });
    expect(dead.items).toHaveLength(3);
    const id = dead.items[0]!.notification_id;
    const detail = await client.getNotification(id);
    expect(detail).toMatchObject({ notification_id: id, status: 'dead', status_code: 400 });
    expect(detail.attempts).toEqual([expect.objectContaining({ attempt: 1, status_code: 400, outcome: 'permanent' })]);
    expect(detail.message).toEqual(expect.objectContaining({ kind: expect.any(String) }));

    expect(await client.retryNotification(id)).toMatchObject({ notification_id: id, status: 'pending' });
    expect(await t.runtime.services.notificationWorker.drain()).toBe(1);
    expect((await client.getNotification(id)).status).toBe('sent');
    expect(hook.requests.at(-1)!.verified).toBe(true);
    expect(await rejection(client.retryNotification(id))).toMatchObject({ status: 409, code: 'not_retryable' });
    expect(await rejection(client.getNotification('ntf_missing'))).toMatchObject({ status: 404, code: 'notification_not_found' });

    expect(await client.replayNotifications({ channel: 'sdk-hook' })).toEqual({ requeued: 2 });
    expect(await client.replayNotifications({ channel: 'sdk-hook' })).toEqual({ requeued: 0 });
    expect(await rejection(client.replayNotifications({ status: 'sent' }))).toMatchObject({ status: 400, code: 'validation_failed' });
    await t.runtime.services.notificationWorker.drain();
    expect((await client.listNotifications({ session_id: 'sdk-notify', status: 'sent' })).items).toHaveLength(3);
  });

  it('sets, reads, lists and deletes config entries, a secret only ever redacted, a fallback for a key not set', async () => {
    const plain = await client.setConfig('digest.hour', '9');
    expect(plain).toMatchObject({ key: 'digest.hour', value: '9', secret: false, updated_by: 'local' });
    const sealed = await client.setConfig('slack:token', 'xoxb-sdk-secret-value', { secret: true });
    expect(sealed).toMatchObject({ key: 'slack:token', secret: true });
    expect(sealed.value).not.toContain('sdk-secret');
    expect(await t.runtime.services.configEntries.value('slack:token')).toBe('xoxb-sdk-secret-value');

    const list = await client.listConfig();
    expect(list.items.map((e) => [e.key, e.secret])).toEqual([
      ['digest.hour', false],
      ['slack:token', true],
    ]);
    expect(JSON.stringify(list)).not.toContain('sdk-secret');
    expect(await client.getConfig('digest.hour')).toEqual(plain);
    expect(await client.getConfig('digest.hour', null)).toEqual(plain);
    expect(await client.getConfig('missing', null)).toBeNull();
    expect(await client.getConfig('missing', { value: '7' })).toEqual({ value: '7' });
    expect(await rejection(client.getConfig('missing'))).toMatchObject({ status: 404, code: 'config_not_found' });
    // Only config_not_found gives the fallback: a bad key is still an error.
    expect(await rejection(client.getConfig('-bad key', null))).toMatchObject({ status: 400 });
    expect(await rejection(client.setConfig('x', 'a\u0000b'))).toMatchObject({ status: 400, code: 'validation_failed' });

    expect(await client.deleteConfig('digest.hour')).toBeUndefined();
    expect(await client.getConfig('digest.hour', 'gone')).toBe('gone');
    expect(await rejection(client.deleteConfig('digest.hour'))).toMatchObject({ status: 404, code: 'config_not_found' });
  });
});
