// Email (SMTP) and ntfy channels end to end on both storages: added through the API with
// their secrets sealed and never shown, tested with real messages, and fed by a firing rule
// through the outbox, its retries and its pausing, against a real SMTP server and a local
// ntfy receiver.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Migrator } from '../../src/db/migrator.ts';
import { NotificationWorker } from '../../src/modules/notifications/notification-worker.ts';
import { ntfyRateLimited, startReceiver, type Receiver } from '../support/receivers.ts';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp-receiver.ts';
import { createTestApp, JSON_HEADERS, recordingLog, type TestApp } from '../support/test-app.ts';
import { describeEachDialect } from '../support/test-database.ts';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/claude-code/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;

const SECRET_KEY = `k1:${Buffer.alloc(32, 5).toString('base64')}`;
const SMTP_USER = 'alerts@example.com';
const SMTP_PASSWORD = 'pw-Wr8!kQz-not-for-logs';
const NTFY_TOKEN = 'tk_7eevizlsiwf9yi4uxsrs83r4352o0';
const NTFY_TOPIC = 'hookd-ops-9f3k2q';
const RECIPIENT = 'oncall.lead@example.com';
const TEAM = 'eng';
const BEFORE_EMAIL_NTFY = 15;

describeEachDialect('email and ntfy channels', (dialect) => {
  let t: TestApp;
  let smtp: SmtpReceiver;
  let ntfy: Receiver;
  const log = recordingLog();

  beforeAll(async () => {
    smtp = await startSmtpReceiver({ user: SMTP_USER, password: SMTP_PASSWORD });
    ntfy = await startReceiver({ kind: 'ntfy', token: NTFY_TOKEN });
    t = await createTestApp(dialect, { HOOKD_SECRET_KEY: SECRET_KEY, HOOKD_NOTIFY_ALLOW_PRIVATE: 'true' }, { log });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    await ntfy?.close();
  });

  const send = async (method: 'POST' | 'PUT' | 'GET' | 'PATCH', url: string, body?: unknown, app = t) => {
    const res = await app.app.inject({
      method,
      url,
      ...(body === undefined ? {} : { headers: JSON_HEADERS, payload: JSON.stringify(body) }),
    });
    return { status: res.statusCode, body: res.body ? res.json() : null, text: res.body };
  };
  const mailUrl = () => smtp.url({ to: [RECIPIENT, 'second@example.com'] });
  const ntfyUrl = () => `${ntfy.url}${NTFY_TOPIC}`;
  const secrets = [SMTP_PASSWORD, NTFY_TOKEN, NTFY_TOPIC, RECIPIENT, 'alerts%40example.com', SMTP_USER];
  const expectNoSecret = (text: string) => {
    for (const secret of secrets) expect(text).not.toContain(secret);
  };
  async function hookEvent(payload: Record<string, unknown>, session: string) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/hooks/claude-code',
      headers: { ...JSON_HEADERS, 'x-hookd-team': TEAM, 'x-hookd-project': 'billing' },
      payload: JSON.stringify({ ...payload, session_id: session }),
    });
    expect(res.statusCode, res.body).toBe(200);
    await t.runtime.services.rules.catchUp();
  }
  const notificationOf = async (channel: string, session: string) => {
    const items = (await send('GET', `/notifications?channel=${channel}&session_id=${session}`)).body.items as {
      notification_id: string;
    }[];
    expect(items).toHaveLength(1);
    return (await send('GET', `/notifications/${items[0]!.notification_id}`)).body;
  };
  /** A worker whose clock is ahead, so what waits for a retry is due. */
  const later = (ms: number) =>
    new NotificationWorker(t.runtime.services.stores.notifications, (c) => t.runtime.services.channels.open(c), {
      ...t.config.notifications,
      now: () => Date.now() + ms,
    });

  it('adds email and ntfy channels with their password and token sealed, and never shows them', async () => {
    const mail = await send('POST', '/channels', {
      channel_id: 'ops-mail',
      kind: 'email',
      url: mailUrl(),
      secret: SMTP_PASSWORD,
      name: 'Ops mail',
    });
    expect(mail.status, mail.text).toBe(201);
    expect(mail.body).toMatchObject({ kind: 'email', has_secret: true, url: `smtp://127.0.0.1:${smtp.port}***` });
    const push = await send('POST', '/channels', { channel_id: 'ops-ntfy', kind: 'ntfy', url: ntfyUrl(), secret: NTFY_TOKEN });
    expect(push.status, push.text).toBe(201);
    expect(push.body).toMatchObject({ kind: 'ntfy', has_secret: true });
    expect(push.body.url).toBe(`${ntfy.url}ho***`);

    const listed = await send('GET', '/channels');
    expect(listed.body.items.map((c: { channel_id: string; kind: string }) => [c.channel_id, c.kind])).toEqual([
      ['ops-mail', 'email'],
      ['ops-ntfy', 'ntfy'],
    ]);
    for (const text of [mail.text, push.text, listed.text, (await send('GET', '/channels/ops-mail')).text]) expectNoSecret(text);
    // Nothing readable is stored either.
    const rows = await t.runtime.services.stores.channels.list({ teamId: null });
    expectNoSecret(JSON.stringify(rows));
    expect(rows.find((r) => r.channelId === 'ops-mail')!.secretSealed).toMatch(/^hks1:k1:/);
  });

  it('refuses bad email and ntfy channels with a 400 naming the field, echoing no secret', async () => {
    const base = `smtp://${encodeURIComponent(SMTP_USER)}@mail.example.com`;
    const bad: [Record<string, unknown>, string][] = [
      [{ kind: 'email', url: `${base}?to=${RECIPIENT}`, secret: SMTP_PASSWORD }, 'url'],
      [{ kind: 'email', url: `${base}?from=h@example.com`, secret: SMTP_PASSWORD }, 'url'],
      [
        {
          kind: 'email',
          url: `smtp://${encodeURIComponent(SMTP_USER)}:${SMTP_PASSWORD}@mail.example.com?from=h@example.com&to=${RECIPIENT}`,
        },
        'url',
      ],
      [{ kind: 'email', url: `https://mail.example.com/?from=h@example.com&to=${RECIPIENT}` }, 'url'],
      [{ kind: 'email', url: `${base}?from=h@example.com&to=${RECIPIENT}` }, 'secret'],
      [{ kind: 'email', url: `smtp://mail.example.com?from=h@example.com&to=${RECIPIENT}`, secret: SMTP_PASSWORD }, 'url'],
      [{ kind: 'email', url: `${base}?from=h@example.com&to=${RECIPIENT}`, secret: 'x'.repeat(201) }, 'secret'],
      [{ kind: 'ntfy', url: 'smtp://ntfy.example.com/topic' }, 'url'],
      [{ kind: 'ntfy', url: 'https://ntfy.example.com/' }, 'url'],
      [{ kind: 'ntfy', url: `https://ntfy.example.com/${NTFY_TOPIC}?auth=x` }, 'url'],
      [{ kind: 'ntfy', url: `https://ntfy.example.com/${NTFY_TOPIC}`, secret: 'whsec_notatoken' }, 'secret'],
      [{ kind: 'slack', url: 'https://hooks.slack.example/services/T0/B0/x', secret: NTFY_TOKEN }, 'secret'],
    ];
    for (const [body, field] of bad) {
      const res = await send('POST', '/channels', { channel_id: 'bad', ...body });
      expect(res.status, `${JSON.stringify(body)} -> ${res.text}`).toBe(400);
      // The schema's own checks (a length) name it body.<field>.
      expect(res.body.error.details.problems.map((p: { field: string }) => p.field.replace(/^body\./, ''))).toContain(field);
      expectNoSecret(res.text);
    }
    // A password for a channel whose URL names no user, added later: refused too.
    const patched = await send('PATCH', '/channels/ops-mail', { url: `smtp://127.0.0.1:${smtp.port}?from=h@example.com&to=${RECIPIENT}` });
    expect(patched.status).toBe(400);
    expect(patched.body.error.details.problems[0].field).toBe('url');
  });

  it('refuses private hosts and plain SMTP unless HOOKD_NOTIFY_ALLOW_PRIVATE allows them', async () => {
    const strict = await createTestApp(dialect, { HOOKD_SECRET_KEY: SECRET_KEY });
    try {
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ kind: 'email', url: `smtp://127.0.0.1:25?from=h@example.com&to=${RECIPIENT}` }, /^url: names a private or loopback address/],
        [{ kind: 'email', url: `smtps://localhost?from=h@example.com&to=${RECIPIENT}` }, /^url: names a private or loopback address/],
        [{ kind: 'email', url: `smtp://[::1]?from=h@example.com&to=${RECIPIENT}` }, /^url: names a private or loopback address/],
        [{ kind: 'email', url: `smtp://0x7f.1?from=h@example.com&to=${RECIPIENT}` }, /^url: names a private or loopback address/],
        [{ kind: 'email', url: `smtp://mail.example.com?from=h@example.com&to=${RECIPIENT}&starttls=false` }, /^url: starttls=false/],
        [{ kind: 'ntfy', url: `http://10.0.0.7/${NTFY_TOPIC}` }, /^url: names a private or loopback address/],
      ];
      for (const [body, message] of cases) {
        const res = await send('POST', '/channels', { channel_id: 'p', ...body }, strict);
        expect(res.status, `${JSON.stringify(body)}: ${res.text}`).toBe(400);
        expect(res.body.error.message).toMatch(message);
      }
    } finally {
      await strict.close();
    }
  });

  it('sends a real test email and a real ntfy message, and says what the servers answered', async () => {
    const mailed = await send('POST', '/channels/ops-mail/test', {});
    expect(mailed.status, mailed.text).toBe(200);
    expect(mailed.body).toMatchObject({ delivered: true, outcome: 'sent', status_code: 250, reason: 'SMTP 250' });
    expect(mailed.body.response_excerpt).toMatch(/^250 /);
    const mail = smtp.mails.at(-1)!;
    expect(mail).toMatchObject({ secure: true, user: SMTP_USER, rcptTo: [RECIPIENT, 'second@example.com'] });
    expect(mail.headers.subject).toBe('[hookd] hookd test message for ops-mail');
    expect(mail.headers['message-id']).toMatch(/^<test_[0-9a-f-]+@example\.com>$/);
    expect(mail.text).toContain('Channel: Ops mail');

    const pushed = await send('POST', '/channels/ops-ntfy/test', {});
    expect(pushed.body).toMatchObject({ delivered: true, outcome: 'sent', status_code: 200 });
    const got = ntfy.requests.at(-1)!;
    expect(got.path).toBe('/');
    expect(got.headers.authorization).toBe(`Bearer ${NTFY_TOKEN}`);
    expect(got.json).toMatchObject({ topic: NTFY_TOPIC, title: 'hookd test message for ops-ntfy', priority: 3, tags: ['bell'] });
    // ntfy answers with the topic; the reply hookd shows masks it.
    expect(pushed.body.response_excerpt).toContain('"topic":"[redacted]"');
    expectNoSecret(pushed.text);
    expectNoSecret(mailed.text);
  });

  it('delivers a firing rule through the outbox: 451 retried with the same Message-ID, then sent', async () => {
    expect(
      (
        await send('PUT', `/teams/${TEAM}/configuration`, {
          configuration: {
            team_name: 'Engineering',
            rules: [
              // Critical: sent at once, never held for a digest, so each event is one attempt here.
              {
                rule_id: 'stops',
                name: 'Stops',
                hook_types: ['Stop'],
                channels: ['ops-mail', 'ops-ntfy'],
                priority: 'critical',
                conditions: { logic: 'and', conditions: [] },
              },
            ],
          },
        })
      ).status,
    ).toBe(200);
    smtp.setScript([{ at: 'data', code: 451 }]);
    const mailsBefore = smtp.mails.length;
    await hookEvent(fixture('Stop'), 'mail-retry');
    const before = Date.now();
    await t.runtime.services.notificationWorker.drain();

    let mail = await notificationOf('ops-mail', 'mail-retry');
    expect(mail).toMatchObject({ status: 'failed', retry_count: 1, status_code: 451, error: expect.stringContaining('SMTP 451') });
    // The first retry waits 5 s ±20%.
    expect(Date.parse(mail.next_attempt_at) - before).toBeGreaterThanOrEqual(3_900);
    const push = await notificationOf('ops-ntfy', 'mail-retry');
    expect(push).toMatchObject({ status: 'sent', status_code: 200 });
    expect(ntfy.requests.at(-1)!.json).toMatchObject({ topic: NTFY_TOPIC, priority: 5, tags: ['rotating_light', 'checkered_flag'] });

    expect(await later(60_000).drain()).toBe(1);
    mail = await notificationOf('ops-mail', 'mail-retry');
    expect(mail).toMatchObject({ status: 'sent', status_code: 250 });
    expect(mail.attempts.map((a: { status_code: number; outcome: string }) => [a.status_code, a.outcome])).toEqual([
      [451, 'retry'],
      [250, 'sent'],
    ]);
    expect(mail.attempts[0].response_excerpt).toMatch(/^451 /);
    const attempts = smtp.mails.slice(mailsBefore);
    expect(attempts.map((m) => m.code)).toEqual([451, 250]);
    expect(new Set(attempts.map((m) => m.headers['message-id']))).toEqual(new Set([`<${mail.notification_id}@example.com>`]));
    expect(attempts.every((m) => m.headers['x-hookd-notification-id'] === mail.notification_id)).toBe(true);
    expect(attempts[1]!.headers.subject).toMatch(/^\[hookd\] \[critical\] /);
    expect(attempts[1]!.headers.importance).toBe('high');
  });

  it('sets a 550 aside as dead at once, the channel still active', async () => {
    smtp.setScript([{ at: 'data', code: 550, message: 'Mailbox unavailable' }]);
    await hookEvent(fixture('Stop'), 'mail-550');
    await t.runtime.services.notificationWorker.drain();
    const mail = await notificationOf('ops-mail', 'mail-550');
    expect(mail).toMatchObject({ status: 'dead', status_code: 550, error: expect.stringContaining('Mailbox unavailable') });
    expect(mail.attempts).toHaveLength(1);
    expect((await send('GET', '/channels/ops-mail')).body).toMatchObject({ paused: false });
  });

  it('pauses the channel when the server refuses the login (535), and delivers again once resumed', async () => {
    smtp.setScript([{ at: 'auth', code: 535 }]);
    await hookEvent(fixture('Stop'), 'mail-535');
    await t.runtime.services.notificationWorker.drain();
    const mail = await notificationOf('ops-mail', 'mail-535');
    expect(mail).toMatchObject({ status: 'dead', status_code: 535 });
    const channel = (await send('GET', '/channels/ops-mail')).body;
    expect(channel).toMatchObject({ paused: true });
    expect(channel.paused_reason).toContain('SMTP 535');
    expect(channel.paused_reason).toContain('fix the password');
    expectNoSecret(JSON.stringify(channel));

    // Paused: the next one waits; resumed, it goes.
    await hookEvent(fixture('Stop'), 'mail-after');
    await t.runtime.services.notificationWorker.drain();
    expect((await notificationOf('ops-mail', 'mail-after')).status).toBe('pending');
    await send('POST', '/channels/ops-mail/resume', {});
    await t.runtime.services.notificationWorker.drain();
    expect((await notificationOf('ops-mail', 'mail-after')).status).toBe('sent');
  });

  it("retries ntfy's 429, holding the channel, and pauses it on 401", async () => {
    ntfy.setScript([ntfyRateLimited()]);
    await hookEvent(fixture('Stop'), 'ntfy-429');
    await t.runtime.services.notificationWorker.drain();
    const limited = await notificationOf('ops-ntfy', 'ntfy-429');
    expect(limited).toMatchObject({ status: 'failed', status_code: 429 });
    expect(Date.parse(limited.next_attempt_at) - Date.now()).toBeGreaterThan(50_000);
    expect(await later(125_000).drain()).toBeGreaterThanOrEqual(1);
    expect((await notificationOf('ops-ntfy', 'ntfy-429')).status).toBe('sent');

    const changed = await send('PATCH', '/channels/ops-ntfy', { secret: 'tk_revokedrevokedrevoked00000' });
    expect(changed.status, changed.text).toBe(200);
    await hookEvent(fixture('Stop'), 'ntfy-401');
    await later(250_000).drain();
    expect(await notificationOf('ops-ntfy', 'ntfy-401')).toMatchObject({ status: 'dead', status_code: 401 });
    expect((await send('GET', '/channels/ops-ntfy')).body).toMatchObject({ paused: true });
  });

  it('writes no password, token, topic or recipient to a log line', () => {
    expect(log.lines.filter((l) => l.message === 'audit').length).toBeGreaterThan(3);
    expectNoSecret(JSON.stringify(log.lines));
  });

  it('keeps the channels through the migration, and going back removes only email and ntfy ones', async () => {
    const keep = await send('POST', '/channels', {
      channel_id: 'keep-slack',
      kind: 'slack',
      url: `${ntfy.url}services/T0/B0/x`,
      team_id: TEAM,
    });
    expect(keep.status, keep.text).toBe(201);
    const store = t.runtime.services.stores.channels;
    const stored = await store.get('keep-slack', { teamId: null });
    const db = t.runtime.db!;
    await new Migrator(db).down(BEFORE_EMAIL_NTFY);
    expect((await store.list({ teamId: null })).map((c) => c.channelId)).toEqual(['keep-slack']);
    await new Migrator(db).up();
    expect(await store.get('keep-slack', { teamId: null })).toEqual(stored);
    const again = await send('POST', '/channels', { channel_id: 'ops-mail', kind: 'email', url: mailUrl(), secret: SMTP_PASSWORD });
    expect(again.status, again.text).toBe(201);
  });
});
