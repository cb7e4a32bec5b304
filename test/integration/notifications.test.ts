import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newWebhookSecret } from '../../src/modules/channels/webhook-payload.ts';
import { CLI_PRINCIPAL } from '../../src/modules/tokens/token-service.ts';
import { startReceiver, type Receiver, type WebhookReceiver } from '../support/receivers.ts';
import { createTestApp, JSON_HEADERS, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/claude-code/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;

const TEAM = 'eng';
const SESSION = 'notify-session-1';
// Each notification goes as itself here: digests and quiet hours have their own test (notification-batching.test.ts).
const RULES = {
  team_name: 'Engineering',
  default_channels: { failure: 'ops-slack' },
  notification_preferences: { batch_timeout_minutes: 0 },
  rules: [
    {
      rule_id: 'permission',
      name: 'Permission prompts',
      hook_types: ['PermissionRequest', 'Notification'],
      channels: ['audit-hook'],
      priority: 'critical',
      conditions: { logic: 'and', conditions: [] },
    },
    { rule_id: 'failures', name: 'Failed tools', hook_types: ['PostToolUseFailure'], conditions: { logic: 'and', conditions: [] } },
    {
      rule_id: 'stops',
      name: 'Stops',
      hook_types: ['Stop'],
      channels: ['audit-hook'],
      template: 'Done in {{session.project}}: {{data.last_assistant_message}}',
      conditions: { logic: 'and', conditions: [] },
    },
  ],
};

describeEachDialect('notifications: the outbox and its delivery', (dialect) => {
  let t: TestApp;
  let slack: Receiver;
  let hook: WebhookReceiver;
  const secret = newWebhookSecret();

  beforeAll(async () => {
    slack = await startReceiver({ kind: 'slack' });
    hook = await startReceiver({ kind: 'webhook', secret });
    t = await createTestApp(dialect, {
      HOOKD_SECRET_KEY: `k1:${Buffer.alloc(32, 3).toString('base64')}`,
      HOOKD_NOTIFY_ALLOW_PRIVATE: 'true',
    });
    const { channels } = t.runtime.services;
    await channels.create({ channel_id: 'audit-hook', kind: 'webhook', url: `${hook.url}in`, secret, team_id: TEAM }, CLI_PRINCIPAL);
    await channels.create({ channel_id: 'ops-slack', kind: 'slack', url: `${slack.url}services/T0/B0/x` }, CLI_PRINCIPAL);
    expect((await send('PUT', `/teams/${TEAM}/configuration`, { configuration: RULES })).status).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
    await slack?.close();
    await hook?.close();
  });

  async function send(method: 'POST' | 'PUT' | 'GET', url: string, body?: unknown) {
    const res = await t.app.inject({
      method,
      url,
      ...(body === undefined ? {} : { headers: JSON_HEADERS, payload: JSON.stringify(body) }),
    });
    return { status: res.statusCode, body: res.body ? res.json() : null, text: res.body };
  }
  /** Stores hook payloads as Claude Code sends them, then lets the rules run: the notifications they create wait in the outbox. */
  async function hookEvents(...payloads: Record<string, unknown>[]) {
    for (const payload of payloads) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/hooks/claude-code',
        headers: { ...JSON_HEADERS, 'x-hookd-team': TEAM, 'x-hookd-project': 'billing' },
        payload: JSON.stringify({ ...payload, session_id: SESSION }),
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    await t.runtime.services.rules.catchUp();
  }
  const list = async (query = '') =>
    (await send('GET', `/notifications${query}`)).body.items as {
      notification_id: string;
      status: string;
      kind: string;
      channel: string;
    }[];
  const deliver = () => t.runtime.services.notificationWorker.drain();
  /** Slack channels send about one message a second: wait out the pacing of the last one. */
  const paced = () => new Promise((resolve) => setTimeout(resolve, 1_100));

  it('makes one message of a permission prompt reported twice, sends it signed, and records the execution', async () => {
    await hookEvents(fixture('PermissionRequest'), fixture('Notification'));
    const waiting = await list(`?session_id=${SESSION}`);
    expect(waiting.map((n) => [n.kind, n.channel, n.status])).toEqual([['permission', 'audit-hook', 'pending']]);
    expect(await deliver()).toBe(1);

    const got = hook.requests.at(-1)!;
    expect(got.verified).toBe(true);
    expect(got.headers['webhook-id']).toBe(waiting[0]!.notification_id);
    const body = JSON.parse(got.body);
    expect(body).toMatchObject({
      type: 'notification.permission',
      data: { priority: 'critical', title: 'Permission requested: Bash', session_id: SESSION },
    });
    expect(body.data.fields).toEqual(
      expect.arrayContaining([
        { name: 'Command', value: 'git push origin fix/rounding' },
        { name: 'Project', value: 'billing' },
      ]),
    );

    const detail = (await send('GET', `/notifications/${waiting[0]!.notification_id}`)).body;
    expect(detail).toMatchObject({ status: 'sent', retry_count: 0, status_code: 200 });
    expect(detail.attempts).toEqual([expect.objectContaining({ attempt: 1, status_code: 200, outcome: 'sent' })]);
    const execution = (await send('GET', `/executions/${detail.execution_id}`)).body;
    expect(execution).toMatchObject({
      notification_sent: true,
      notification_result: { channels: [{ channel: 'audit-hook', status: 'sent', status_code: 200 }] },
    });
  });

  it("sends a failure to the team's default channel for its kind, paced, in Slack's format", async () => {
    await hookEvents(fixture('PostToolUseFailure'));
    const [failure] = await list('?channel=ops-slack');
    expect(failure).toMatchObject({ kind: 'failure', status: 'pending' });
    await deliver();
    const message = JSON.parse(slack.requests.at(-1)!.body);
    expect(message.text).toContain('Tool failed: Bash');
    expect(JSON.stringify(message.blocks)).toContain('expected 10.01 to be 10.00');
  });

  it('retries on the schedule with the same webhook-id, and a template replaces the text', async () => {
    hook.setScript([{ status: 500, body: 'boom' }]);
    await hookEvents(fixture('Stop'));
    const [stop] = await list('?channel=audit-hook&status=pending');
    const before = Date.now();
    await deliver();
    let detail = (await send('GET', `/notifications/${stop!.notification_id}`)).body;
    expect(detail).toMatchObject({ status: 'failed', retry_count: 1, status_code: 500, error: expect.stringContaining('500') });
    // The first retry waits 5 s ±20%: nothing is due before.
    expect(Date.parse(detail.next_attempt_at) - before).toBeGreaterThanOrEqual(3_900);
    expect(await deliver()).toBe(0);

    expect((await send('POST', `/notifications/${stop!.notification_id}/retry`, {})).body.status).toBe('pending');
    await deliver();
    detail = (await send('GET', `/notifications/${stop!.notification_id}`)).body;
    expect(detail.status).toBe('sent');
    expect(detail.attempts.map((a: { status_code: number }) => a.status_code)).toEqual([500, 200]);
    expect(hook.webhookIds().get(stop!.notification_id)).toBe(2);
    expect(JSON.parse(hook.requests.at(-1)!.body).data.text).toBe(
      'Done in billing: Fixed: rounding now adds EPSILON before scaling; all 12 invoice tests pass.',
    );
    expect((await send('POST', `/notifications/${stop!.notification_id}/retry`, {})).body.error.code).toBe('not_retryable');
  });

  it('sets a permanent refusal aside at once, replays dead ones, and pauses a channel whose webhook is gone', async () => {
    hook.setScript([{ status: 400, body: 'bad payload' }]);
    await hookEvents({ ...fixture('PermissionRequest'), tool_name: 'Edit', tool_input: { file_path: '/src/a.ts' } });
    await deliver();
    const [dead] = await list('?status=dead');
    expect(dead).toMatchObject({ kind: 'permission', status: 'dead' });
    expect((await send('POST', '/notifications/replay', { channel: 'audit-hook' })).body).toEqual({ requeued: 1 });
    await deliver();
    expect((await send('GET', `/notifications/${dead!.notification_id}`)).body.status).toBe('sent');

    slack.setScript([{ status: 404, body: 'no_service' }]);
    await hookEvents(fixture('PostToolUseFailure'));
    await paced();
    await deliver();
    const channel = (await send('GET', '/channels/ops-slack')).body;
    expect(channel).toMatchObject({ paused: true });
    expect(channel.paused_reason).toContain('no_service');
    // Paused: what comes for it waits, and nothing is claimed.
    await hookEvents({ ...fixture('PostToolUseFailure'), tool_use_id: 'toolu_02' });
    const sentBefore = slack.requests.length;
    expect(await deliver()).toBe(0);
    expect(slack.requests.length).toBe(sentBefore);
    expect((await list('?channel=ops-slack&status=pending')).length).toBe(1);
    await send('POST', '/channels/ops-slack/resume', {});
    await paced();
    expect(await deliver()).toBe(1);
    expect((await list('?channel=ops-slack&status=pending')).length).toBe(0);
  });

  it("honours a 429's Retry-After for the notification and holds its channel as long", async () => {
    slack.setScript([{ status: 429, headers: { 'retry-after': '120' }, body: 'rate_limited' }]);
    await hookEvents({ ...fixture('PostToolUseFailure'), tool_use_id: 'toolu_03' });
    const [limited] = await list('?channel=ops-slack&status=pending');
    await paced();
    await deliver();
    const detail = (await send('GET', `/notifications/${limited!.notification_id}`)).body;
    expect(detail).toMatchObject({ status: 'failed', status_code: 429 });
    expect(Date.parse(detail.next_attempt_at) - Date.now()).toBeGreaterThan(110_000);
    // Asked again at once, the channel is still held: nothing goes.
    await send('POST', `/notifications/${limited!.notification_id}/retry`, {});
    expect(await deliver()).toBe(0);
    // Two minutes on, it goes.
    const { NotificationWorker } = await import('../../src/modules/notifications/notification-worker.ts');
    const later = new NotificationWorker(t.runtime.services.stores.notifications, (c) => t.runtime.services.channels.open(c), {
      ...t.config.notifications,
      now: () => Date.now() + 125_000,
    });
    expect(await later.drain()).toBe(1);
    expect((await send('GET', `/notifications/${limited!.notification_id}`)).body.status).toBe('sent');
  });

  it("delivers to Discord as an embed, keeping Discord's retry_after, and retries a connection closed mid-request", async () => {
    const discord = await startReceiver({ kind: 'discord' });
    try {
      await t.runtime.services.channels.create(
        { channel_id: 'eng-discord', kind: 'discord', url: `${discord.url}api/webhooks/1/tok` },
        CLI_PRINCIPAL,
      );
      const prompts = {
        rule_id: 'prompts',
        name: 'Prompts',
        hook_types: ['UserPromptSubmit'],
        channels: ['eng-discord', 'audit-hook'],
        conditions: { logic: 'and', conditions: [] },
      };
      expect(
        (await send('PUT', `/teams/${TEAM}/configuration`, { configuration: { ...RULES, rules: [...RULES.rules, prompts] } })).status,
      ).toBe(200);
      const limited = { message: 'You are being rate limited.', retry_after: 30.5, global: false };
      discord.setScript([{ status: 429, headers: { 'content-type': 'application/json' }, body: JSON.stringify(limited) }]);
      hook.setScript(['close']);
      await hookEvents(fixture('UserPromptSubmit'));
      await deliver();
      const [toDiscord] = await list('?channel=eng-discord');
      const detail = (await send('GET', `/notifications/${toDiscord!.notification_id}`)).body;
      expect(detail).toMatchObject({ status: 'failed', status_code: 429 });
      expect(Date.parse(detail.next_attempt_at) - Date.now()).toBeGreaterThan(25_000);
      const [toHook] = (await list('?channel=audit-hook')).filter((n) => n.kind === 'rule');
      const closed = (await send('GET', `/notifications/${toHook!.notification_id}`)).body;
      expect(closed).toMatchObject({ status: 'failed', status_code: null });
      expect(closed.attempts[0].error).toMatch(/connection closed/);

      const { NotificationWorker } = await import('../../src/modules/notifications/notification-worker.ts');
      const later = new NotificationWorker(t.runtime.services.stores.notifications, (c) => t.runtime.services.channels.open(c), {
        ...t.config.notifications,
        now: () => Date.now() + 60_000,
      });
      expect(await later.drain()).toBeGreaterThanOrEqual(2);
      const embed = JSON.parse(discord.requests.at(-1)!.body);
      expect(embed).toMatchObject({ allowed_mentions: { parse: [] }, embeds: [{ title: 'Prompts' }] });
      expect((await send('GET', `/notifications/${toDiscord!.notification_id}`)).body.status).toBe('sent');
      expect((await send('GET', `/notifications/${toHook!.notification_id}`)).body.status).toBe('sent');
    } finally {
      await discord.close();
    }
  });

  it("never sends to another team's channel, whatever a rule names", async () => {
    await t.runtime.services.channels.create(
      { channel_id: 'their-hook', kind: 'webhook', url: `${hook.url}theirs`, secret, team_id: 'another-team' },
      CLI_PRINCIPAL,
    );
    const theirs = {
      rule_id: 'theirs',
      name: 'Theirs',
      hook_types: ['SessionStart'],
      channels: ['their-hook'],
      conditions: { logic: 'and', conditions: [] },
    };
    expect(
      (await send('PUT', `/teams/${TEAM}/configuration`, { configuration: { ...RULES, rules: [...RULES.rules, theirs] } })).status,
    ).toBe(200);
    const before = hook.requests.length;
    await hookEvents(fixture('SessionStart'));
    await deliver();
    const [refused] = await list('?channel=their-hook');
    expect(refused).toMatchObject({ status: 'dead' });
    expect((await send('GET', `/notifications/${refused!.notification_id}`)).body.error).toContain('belongs to team "another-team"');
    expect(hook.requests.length).toBe(before);
    expect((await send('GET', '/channels/their-hook')).body).toMatchObject({ failure_streak: 0, paused: false });
  });

  it("shows a bound token only its own session's notifications, in the query", async () => {
    const bound = await t.runtime.services.tokens.create({ scopes: ['read'], teamId: TEAM, sessionId: 'someone-else' });
    const res = await t.app.inject({ method: 'GET', url: '/notifications', headers: { authorization: `Bearer ${bound.token}` } });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([]);
    const own = await t.runtime.services.tokens.create({ scopes: ['read'], teamId: TEAM, sessionId: SESSION });
    const mine = await t.app.inject({ method: 'GET', url: '/notifications', headers: { authorization: `Bearer ${own.token}` } });
    expect(mine.json().items.length).toBeGreaterThan(3);
  });
});
