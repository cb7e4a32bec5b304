import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newWebhookSecret } from '../../src/modules/channels/webhook-payload.ts';
import { startReceiver, type Receiver, type WebhookReceiver } from '../support/receivers.ts';
import { createTestApp, JSON_HEADERS, recordingLog, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

const SECRET_KEY = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
const SLACK_SECRET_PATH = '/services/T0SECRET/B0SECRET/XXXXsecretpathXXXX';

describeEachDialect('channels and the config store', (dialect) => {
  let t: TestApp;
  let slack: Receiver;
  let hook: WebhookReceiver;
  const webhookSecret = newWebhookSecret();
  const log = recordingLog();
  beforeAll(async () => {
    slack = await startReceiver({ kind: 'slack' });
    hook = await startReceiver({ kind: 'webhook', secret: webhookSecret });
    t = await createTestApp(dialect, { HOOKD_SECRET_KEY: SECRET_KEY, HOOKD_NOTIFY_ALLOW_PRIVATE: 'true' }, { log });
  });
  afterAll(async () => {
    await t?.close();
    await slack?.close();
    await hook?.close();
  });

  const send = async (method: 'POST' | 'PUT' | 'GET' | 'PATCH' | 'DELETE', url: string, body?: unknown) => {
    const res = await t.app.inject({
      method,
      url,
      ...(body === undefined ? {} : { headers: JSON_HEADERS, payload: JSON.stringify(body) }),
    });
    return { status: res.statusCode, body: res.body ? res.json() : null, text: res.body };
  };
  const base = (r: Receiver) => r.url.replace(/\/$/, '');
  const slackUrl = () => `${base(slack)}${SLACK_SECRET_PATH}`;

  it('adds channels with their URL and secret sealed, shows them redacted, and refuses bad ones naming the field', async () => {
    const created = await send('POST', '/channels', { channel_id: 'ops-slack', kind: 'slack', url: slackUrl(), name: 'Ops' });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ channel_id: 'ops-slack', kind: 'slack', team_id: null, has_secret: false, paused: false });
    expect(created.body.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/services\/T0\*\*\*$/);
    const signed = await send('POST', '/channels', {
      channel_id: 'audit-hook',
      kind: 'webhook',
      url: `${base(hook)}/in`,
      secret: webhookSecret,
      team_id: 'eng',
    });
    expect(signed.status, signed.text).toBe(201);
    expect(signed.body).toMatchObject({ team_id: 'eng', has_secret: true });

    const again = await send('POST', '/channels', { channel_id: 'ops-slack', kind: 'slack', url: slackUrl() });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'channel_exists' } } });
    const bad: [unknown, string][] = [
      [{ channel_id: 'x', kind: 'pager', url: slackUrl() }, 'kind'],
      [{ channel_id: 'x', kind: 'slack', url: 'ftp://example.com/hook' }, 'url'],
      [{ channel_id: 'x', kind: 'slack', url: 'not a url' }, 'url'],
      [{ channel_id: 'x', kind: 'webhook', url: `${base(hook)}/in` }, 'secret'],
      [{ channel_id: 'x', kind: 'webhook', url: `${base(hook)}/in`, secret: 'hunter2' }, 'secret'],
      [{ channel_id: 'x', kind: 'slack', url: slackUrl(), secret: webhookSecret }, 'secret'],
      [{ channel_id: '-bad id', kind: 'slack', url: slackUrl() }, 'channel_id'],
    ];
    for (const [body, field] of bad) {
      const res = await send('POST', '/channels', body);
      expect(res.status, `${JSON.stringify(body)} -> ${res.text}`).toBe(400);
      expect(res.body.error.details.problems.map((p: { field: string }) => p.field)).toContain(field);
    }
    expect((await send('GET', '/channels')).body.items.map((c: { channel_id: string }) => c.channel_id)).toEqual([
      'audit-hook',
      'ops-slack',
    ]);

    // Nothing readable is stored: the URL's secret path is in no column of the row.
    const rows = await t.runtime.services.stores.channels.list({ teamId: null });
    for (const row of rows) expect(JSON.stringify(row)).not.toContain('XXXXsecretpathXXXX');
    expect(rows.find((r) => r.channelId === 'audit-hook')!.secretSealed).toMatch(/^hks1:k1:/);
  });

  it('refuses private addresses unless HOOKD_NOTIFY_ALLOW_PRIVATE allows them', async () => {
    const strict = await createTestApp(dialect, { HOOKD_SECRET_KEY: SECRET_KEY });
    try {
      for (const url of [
        'http://127.0.0.1:9/x',
        'http://[::1]/x',
        'http://localhost/x',
        'http://10.0.0.1/x',
        'http://169.254.169.254/latest',
      ]) {
        const res = await strict.app.inject({
          method: 'POST',
          url: '/channels',
          headers: JSON_HEADERS,
          payload: JSON.stringify({ channel_id: 'p', kind: 'slack', url }),
        });
        expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
        expect(res.json().error.message).toMatch(/^url: names a private or loopback address/);
      }
    } finally {
      await strict.close();
    }
  });

  it('sends a real test message and reports what the receiver answered', async () => {
    const ok = await send('POST', '/channels/ops-slack/test', {});
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body).toMatchObject({ delivered: true, outcome: 'sent', status_code: 200, response_excerpt: 'ok' });
    const got = slack.requests.at(-1)!;
    expect(got.path).toBe(SLACK_SECRET_PATH);
    expect(JSON.parse(got.body)).toMatchObject({ text: expect.stringContaining('hookd test message for ops-slack') });

    const signed = await send('POST', '/channels/audit-hook/test', {});
    expect(signed.body).toMatchObject({ delivered: true, status_code: 200 });
    const delivery = hook.requests.at(-1)!;
    expect(delivery.verified).toBe(true);
    expect(() => new Webhook(webhookSecret).verify(delivery.body, delivery.headers)).not.toThrow();

    slack.setScript([{ status: 404, body: 'no_service' }]);
    const gone = await send('POST', '/channels/ops-slack/test', {});
    expect(gone.body).toMatchObject({ delivered: false, outcome: 'permanent', status_code: 404, response_excerpt: 'no_service' });
    expect(gone.body.reason).toContain('no_service');
  });

  it('changes, pauses, resumes and removes a channel, writing one audit line each and no secret anywhere', async () => {
    const changed = await send('PATCH', '/channels/ops-slack', {
      name: 'Operations',
      url: `${base(slack)}/services/T1ANOTHERsecretpath/B1/C1`,
    });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body).toMatchObject({ name: 'Operations', url: expect.stringMatching(/\/services\/T1\*\*\*$/) });
    const paused = await send('POST', '/channels/ops-slack/pause', { reason: 'maintenance window' });
    expect(paused.body).toMatchObject({ paused: true, paused_reason: 'maintenance window' });
    expect((await send('POST', '/channels/ops-slack/resume', {})).body).toMatchObject({ paused: false, paused_reason: null });
    expect((await send('DELETE', '/channels/ops-slack')).status).toBe(204);
    expect((await send('GET', '/channels/ops-slack')).body.error.code).toBe('channel_not_found');

    const actions = log.lines
      .filter((l) => l.message === 'audit')
      .map((l) => (l.fields.audit as { action: string; target: string }).action);
    expect(actions).toEqual(
      expect.arrayContaining(['channel.create', 'channel.test', 'channel.update', 'channel.pause', 'channel.resume', 'channel.remove']),
    );
    const everything = JSON.stringify(log.lines);
    expect(everything).not.toContain('secretpath');
    expect(everything).not.toContain(webhookSecret);
  });

  it('keeps config values, a secret sealed and only ever shown redacted', async () => {
    expect((await send('PUT', '/config/dashboard.title', { value: 'Ops room' })).body).toMatchObject({ value: 'Ops room', secret: false });
    const secret = await send('PUT', '/config/slack_webhook_url', { value: `https://hooks.slack.com${SLACK_SECRET_PATH}`, secret: true });
    expect(secret.status, secret.text).toBe(200);
    expect(secret.body).toMatchObject({ value: 'https://hooks.slack.com/services/T0***', secret: true });
    const list = await send('GET', '/config');
    expect(list.body.items.map((e: { key: string; value: string }) => [e.key, e.value])).toEqual([
      ['dashboard.title', 'Ops room'],
      ['slack_webhook_url', 'https://hooks.slack.com/services/T0***'],
    ]);
    expect(list.text).not.toContain('secretpath');
    expect(await t.runtime.services.configEntries.value('slack_webhook_url')).toBe(`https://hooks.slack.com${SLACK_SECRET_PATH}`);
    expect(await t.runtime.services.configEntries.value('missing', 'fallback')).toBe('fallback');
    expect((await send('GET', '/config/missing')).body.error.code).toBe('config_not_found');
    expect((await send('PUT', '/config/bad%20key', { value: 'x' })).status).toBe(400);
    expect((await send('DELETE', '/config/dashboard.title')).status).toBe(204);
  });

  it('refuses to start with a different key of the same id, naming it', async () => {
    const other = `k1:${Buffer.alloc(32, 9).toString('base64')}`;
    const { loadConfig } = await import('../../src/core/config.ts');
    const { openRuntime } = await import('../../src/runtime/runtime.ts');
    const runtime = await openRuntime(
      loadConfig({ HOOKD_HOME: '/nonexistent-hookd-home', HOOKD_SECRET_KEY: other, HOOKD_DATABASE_URL: t.url }),
    );
    try {
      await expect(runtime.services.sealer.check()).rejects.toThrow(
        /secret key 'k1' is not the key this database's secrets were encrypted with/,
      );
      const stored = await runtime.services.stores.channels.get('audit-hook', { teamId: null });
      expect(() => runtime.services.channels.open(stored!)).toThrow(/channel "audit-hook": its URL or secret/);
    } finally {
      await runtime.services.close();
    }
  });
});
