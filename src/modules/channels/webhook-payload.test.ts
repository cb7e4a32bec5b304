import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import type { ChannelMessage } from './channel-message.ts';
import { isWebhookSecret, newWebhookSecret, signedWebhookHeaders, webhookBody } from './webhook-payload.ts';

const message: ChannelMessage = {
  kind: 'permission',
  priority: 'critical',
  title: 'Permission requested: Bash',
  text: 'rm -rf /',
  fields: [{ name: 'Tool', value: 'Bash' }],
  url: 'https://hookd.example/sessions/s-1',
  context: {
    session_id: 's-1',
    event_id: 'e-1',
    event_type: 'PermissionRequest',
    team_id: 't-1',
    rule_id: 'r-1',
    project: 'billing',
    timestamp: '2025-03-04T05:06:07.000Z',
  },
};

const base64Of = (bytes: number) => Buffer.alloc(bytes, 7).toString('base64');

describe('webhookBody', () => {
  it('is the Standard Webhooks envelope with the message and its context as data', () => {
    expect(JSON.parse(webhookBody(message, 'n-1'))).toEqual({
      type: 'notification.permission',
      timestamp: '2025-03-04T05:06:07.000Z',
      data: {
        notification_id: 'n-1',
        kind: 'permission',
        priority: 'critical',
        title: 'Permission requested: Bash',
        text: 'rm -rf /',
        fields: [{ name: 'Tool', value: 'Bash' }],
        url: 'https://hookd.example/sessions/s-1',
        session_id: 's-1',
        event_id: 'e-1',
        event_type: 'PermissionRequest',
        team_id: 't-1',
        rule_id: 'r-1',
        project: 'billing',
        timestamp: '2025-03-04T05:06:07.000Z',
      },
    });
  });

  it('sends url as null when hookd does not know its address', () => {
    const { url: _, ...withoutUrl } = message;
    expect(JSON.parse(webhookBody(withoutUrl, 'n-2')).data.url).toBeNull();
  });
});

describe('signedWebhookHeaders', () => {
  const secret = newWebhookSecret();
  const body = webhookBody(message, 'n-1');
  const sentAt = new Date();

  it('carries id, timestamp in seconds, a v1 signature and the content type', () => {
    const headers = signedWebhookHeaders(secret, 'msg_1', sentAt, body);
    expect(headers['content-type']).toBe('application/json');
    expect(headers['webhook-id']).toBe('msg_1');
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(sentAt.getTime() / 1000)));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
  });

  it('verifies with the reference library, and fails with another secret, body, id or time', () => {
    const headers = signedWebhookHeaders(secret, 'msg_1', sentAt, body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow(/signature/i);
    expect(() => new Webhook(secret).verify(body.replace('rm -rf /', 'ls'), headers)).toThrow(/signature/i);
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'msg_2' })).toThrow(/signature/i);
    const later = String(Number(headers['webhook-timestamp']) + 1);
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-timestamp': later })).toThrow(/signature/i);
  });

  it('is refused once older than the five-minute tolerance', () => {
    const headers = signedWebhookHeaders(secret, 'msg_1', new Date(Date.now() - 10 * 60_000), body);
    expect(() => new Webhook(secret).verify(body, headers)).toThrow(/too old/);
  });
});

describe('webhook secrets', () => {
  it('makes whsec_ secrets of 32 random bytes that it accepts', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(isWebhookSecret(a)).toBe(true);
    expect(newWebhookSecret()).not.toBe(a);
  });

  it('accepts 24 to 64 bytes of canonical base64 after whsec_', () => {
    expect(isWebhookSecret(`whsec_${base64Of(24)}`)).toBe(true);
    expect(isWebhookSecret(`whsec_${base64Of(64)}`)).toBe(true);
    expect(isWebhookSecret(`whsec_${base64Of(23)}`)).toBe(false);
    expect(isWebhookSecret(`whsec_${base64Of(65)}`)).toBe(false);
  });

  it('refuses a missing prefix, url-safe or unpadded base64 and stray characters', () => {
    const good = base64Of(33);
    expect(isWebhookSecret(good)).toBe(false);
    expect(isWebhookSecret(`WHSEC_${good}`)).toBe(false);
    const withSlash = `whsec_${Buffer.alloc(32, 0xff).toString('base64')}`;
    expect(withSlash).toContain('/');
    expect(isWebhookSecret(withSlash)).toBe(true);
    expect(isWebhookSecret(withSlash.replaceAll('/', '_'))).toBe(false);
    expect(isWebhookSecret(withSlash.replace(/=+$/, ''))).toBe(false);
    expect(isWebhookSecret(`whsec_${good} `)).toBe(false);
    expect(isWebhookSecret(`whsec_${good.slice(0, 20)}!${good.slice(20)}`)).toBe(false);
    expect(isWebhookSecret('whsec_')).toBe(false);
  });

  it('accepts only secrets the reference library can sign with', () => {
    const secret = `whsec_${base64Of(24)}`;
    expect(isWebhookSecret(secret)).toBe(true);
    const headers = signedWebhookHeaders(secret, 'msg_1', new Date(), '{}');
    expect(() => new Webhook(secret).verify('{}', headers)).not.toThrow();
  });
});
