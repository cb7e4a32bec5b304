// One email attempt against a real SMTP server: TLS, login, the message as it arrives, and
// what each failure is classified as. No database: channels-email-ntfy.test.ts covers the
// outbox, the API and storage on both dialects.
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deliver, type DeliveryOptions } from '../../src/modules/channels/channel-delivery.ts';
import type { ChannelMessage } from '../../src/modules/channels/channel-message.ts';
import { startSmtpReceiver, type SmtpReceiver } from '../support/smtp-receiver.ts';

const USER = 'hookd@example.com';
const PASSWORD = 'correct horse battery staple';
const LOCAL: DeliveryOptions = { timeoutMs: 5_000, allowPrivate: true };

const message: ChannelMessage = {
  kind: 'stop',
  priority: 'critical',
  title: 'Session stopped: Überprüfung fertig',
  text: 'All 12 invoice tests pass <b>now</b>.',
  fields: [{ name: 'Project', value: 'billing' }],
  url: 'https://hookd.example/sessions/s-1',
  context: {
    session_id: 's-1',
    event_id: 'e-1',
    event_type: 'Stop',
    team_id: null,
    rule_id: null,
    project: 'billing',
    timestamp: '2025-03-04T05:06:07.000Z',
  },
};

const email = (url: string, secret: string | null = PASSWORD) => ({ channelId: 'mail', kind: 'email' as const, url, secret });

describe('email delivery over SMTP', () => {
  let smtp: SmtpReceiver;
  beforeAll(async () => {
    smtp = await startSmtpReceiver({ user: USER, password: PASSWORD });
  });
  afterAll(async () => smtp?.close());
  afterEach(() => smtp.setScript([]));

  it('sends over STARTTLS after logging in: headers, subject, text and escaped HTML as they arrive', async () => {
    const { result, outcome } = await deliver(email(smtp.url({ to: ['ops@example.com', 'lead@example.com'] })), message, 'ntf_0001', LOCAL);
    expect(outcome).toMatchObject({ status: 'sent', reason: 'SMTP 250' });
    expect(result).toMatchObject({ statusCode: 250, error: null });
    expect(result.bodyExcerpt).toMatch(/^250 /);
    const mail = smtp.mails.at(-1)!;
    expect(mail).toMatchObject({
      code: 250,
      secure: true,
      user: USER,
      mailFrom: 'hookd@example.com',
      rcptTo: ['ops@example.com', 'lead@example.com'],
    });
    expect(mail.headers['message-id']).toBe('<ntf_0001@example.com>');
    expect(mail.headers['x-hookd-notification-id']).toBe('ntf_0001');
    expect(mail.headers.subject).toBe('[hookd] [critical] Session stopped: Überprüfung fertig');
    expect(mail.headers.from).toBe('hookd <hookd@example.com>');
    expect(mail.headers.to).toBe('ops@example.com, lead@example.com');
    expect(mail.headers['auto-submitted']).toBe('auto-generated');
    expect(mail.text).toContain('All 12 invoice tests pass <b>now</b>.');
    expect(mail.text).toContain('Open in hookd: https://hookd.example/sessions/s-1');
    expect(mail.html).toContain('All 12 invoice tests pass &lt;b&gt;now&lt;/b&gt;.');
    expect(mail.html).toContain('<a href="https://hookd.example/sessions/s-1">Open in hookd</a>');
    expect(mail.raw).not.toContain(PASSWORD);
  });

  it('answers a 4yz with a retry and a 5yz with a permanent failure, the reply line kept', async () => {
    smtp.setScript([
      { at: 'data', code: 451 },
      { at: 'data', code: 550, message: 'Mailbox unavailable' },
    ]);
    const first = await deliver(email(smtp.url()), message, 'ntf_0002', LOCAL);
    expect(first.result.statusCode).toBe(451);
    expect(first.result.bodyExcerpt).toMatch(/^451 .*try again later/);
    expect(first.outcome).toMatchObject({ status: 'retry', reason: expect.stringMatching(/^SMTP 451: the server refused DATA: 451 /) });
    const second = await deliver(email(smtp.url()), message, 'ntf_0002', LOCAL);
    expect(second.outcome).toMatchObject({ status: 'permanent', reason: expect.stringContaining('Mailbox unavailable') });
    expect(smtp.mails.slice(-2).map((m) => m.headers['message-id'])).toEqual(['<ntf_0002@example.com>', '<ntf_0002@example.com>']);
  });

  it('reports a refused login as 535, permanent, with no password in what comes back', async () => {
    const { result, outcome } = await deliver(email(smtp.url(), 'wrong password'), message, 'ntf_0003', LOCAL);
    expect(result.statusCode).toBe(535);
    expect(outcome.status).toBe('permanent');
    expect(outcome.reason).toMatch(/^SMTP 535: the server refused AUTH (PLAIN|LOGIN)/);
    expect(JSON.stringify({ result, outcome })).not.toContain('wrong password');
    smtp.setScript([{ at: 'auth', code: 534, message: 'Please log in with your web browser' }]);
    expect((await deliver(email(smtp.url()), message, 'ntf_0003', LOCAL)).result.statusCode).toBe(534);
  });

  it('refuses a user in the URL without a password, without connecting', async () => {
    const before = smtp.connections;
    const { outcome } = await deliver(email(smtp.url(), null), message, 'ntf_0004', LOCAL);
    expect(outcome).toMatchObject({ status: 'permanent', reason: expect.stringContaining('has no password') });
    expect(smtp.connections).toBe(before);
  });

  it('checks the certificate unless tls_verify=false says the server is self-signed', async () => {
    const strict = smtp.url().replace('&tls_verify=false', '');
    const { result, outcome } = await deliver(email(strict), message, 'ntf_0005', LOCAL);
    expect(result.statusCode).toBeNull();
    expect(result.error).toMatch(/^TLS failed/);
    expect(outcome.status).toBe('retry');
    expect(smtp.mails.some((m) => m.headers['message-id'] === '<ntf_0005@example.com>')).toBe(false);
  });

  it('refuses a private or loopback server without HOOKD_NOTIFY_ALLOW_PRIVATE, before connecting', async () => {
    const before = smtp.connections;
    for (const url of [smtp.url(), smtp.url().replace('127.0.0.1', 'localhost'), smtp.url().replace('127.0.0.1', '[::ffff:127.0.0.1]')]) {
      const { result, outcome } = await deliver(email(url), message, 'ntf_0006', { ...LOCAL, allowPrivate: false });
      expect(outcome.status).toBe('permanent');
      expect(result.error).toMatch(/^refused: .* resolves to a private address \(.*\); set HOOKD_NOTIFY_ALLOW_PRIVATE=true/);
    }
    expect(smtp.connections).toBe(before);
  });

  it('gives up at the deadline when a server never greets', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const started = Date.now();
      const { result, outcome } = await deliver(
        email(`smtp://127.0.0.1:${port}?from=h@example.com&to=a@example.com`, null),
        message,
        'ntf_0007',
        { timeoutMs: 300, allowPrivate: true },
      );
      expect(result.error).toMatch(/^timed out after 300 ms|the server did not answer in time/);
      expect(outcome.status).toBe('retry');
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('retries when nothing listens', async () => {
    const closed = await startSmtpReceiver();
    const url = closed.url();
    await closed.close();
    const { result, outcome } = await deliver(email(url, null), message, 'ntf_0008', LOCAL);
    expect(result).toMatchObject({ statusCode: null, error: 'connection refused' });
    expect(outcome.status).toBe('retry');
  });
});

describe('email delivery: smtps:// and plain relays', () => {
  it('speaks TLS from the first byte on smtps://', async () => {
    const smtps = await startSmtpReceiver({ user: USER, password: PASSWORD, secure: true });
    try {
      const url = smtps.url();
      expect(url).toMatch(/^smtps:/);
      const { outcome } = await deliver(email(url), message, 'ntf_0101', LOCAL);
      expect(outcome.status).toBe('sent');
      expect(smtps.mails[0]).toMatchObject({ secure: true, user: USER });
    } finally {
      await smtps.close();
    }
  });

  it('never sends in the clear unless told to: STARTTLS is required by default', async () => {
    const plain = await startSmtpReceiver({ user: USER, password: PASSWORD, plain: true });
    try {
      const required = plain.url().replace('starttls=false', 'tls_verify=false');
      const { outcome } = await deliver(email(required), message, 'ntf_0102', LOCAL);
      expect(outcome.status).not.toBe('sent');
      expect(plain.mails).toHaveLength(0);

      // starttls=false: for a relay on this host or network only.
      const { outcome: sent } = await deliver(email(plain.url()), message, 'ntf_0102', LOCAL);
      expect(sent.status).toBe('sent');
      expect(plain.mails[0]).toMatchObject({ secure: false, user: USER });
      const refused = await deliver(email(plain.url()), message, 'ntf_0102', { ...LOCAL, allowPrivate: false });
      expect(refused.outcome).toMatchObject({
        status: 'permanent',
        reason: expect.stringMatching(/^refused: starttls=false sends the login/),
      });
      expect(plain.mails).toHaveLength(1);
    } finally {
      await plain.close();
    }
  });
});
