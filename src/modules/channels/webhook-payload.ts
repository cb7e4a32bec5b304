/**
 * A ChannelMessage as a generic webhook delivery, signed per the Standard Webhooks spec
 * (https://www.standardwebhooks.com) so a receiver can check it with any of that spec's
 * libraries: the signature covers the webhook id, the time of sending and the exact body.
 */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { ChannelMessage } from './channel-message.ts';

const SECRET_PREFIX = 'whsec_';
// The spec's recommended key sizes: at least 24 bytes, at most 64.
const SECRET_MIN_BYTES = 24;
const SECRET_MAX_BYTES = 64;

/** The body, built once per notification: every attempt must send the bytes that were signed. */
export function webhookBody(message: ChannelMessage, notificationId: string): string {
  return JSON.stringify({
    type: `notification.${message.kind}`,
    timestamp: message.context.timestamp,
    data: {
      notification_id: notificationId,
      kind: message.kind,
      priority: message.priority,
      title: message.title,
      text: message.text,
      fields: message.fields,
      url: message.url ?? null,
      ...message.context,
      ...(message.digest ? { digest: message.digest } : {}),
    },
  });
}

/**
 * The headers of one attempt. webhookId stays the same across retries of a notification
 * (receivers deduplicate on it); sentAt is this attempt's time, which receivers hold
 * within their tolerance (five minutes in the reference libraries) against replays.
 */
export function signedWebhookHeaders(secret: string, webhookId: string, sentAt: Date, body: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'webhook-id': webhookId,
    'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(webhookId, sentAt, body),
  };
}

/** `whsec_` and canonical standard base64 (padded) of 24 to 64 bytes. */
export function isWebhookSecret(value: string): boolean {
  if (!value.startsWith(SECRET_PREFIX)) return false;
  const encoded = value.slice(SECRET_PREFIX.length);
  const key = Buffer.from(encoded, 'base64');
  // Node's decoder skips characters it does not know; the round trip refuses them.
  return key.length >= SECRET_MIN_BYTES && key.length <= SECRET_MAX_BYTES && key.toString('base64') === encoded;
}

export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}
