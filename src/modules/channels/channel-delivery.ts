import { version } from '../../core/version.ts';
import type { ChannelKind } from './channel-kind.ts';
import type { ChannelMessage } from './channel-message.ts';
import { classifyOutcome, type DeliveryOutcome } from './delivery-outcome.ts';
import { discordPayload } from './discord-payload.ts';
import { safePost, type PostResult } from './safe-post.ts';
import { slackPayload } from './slack-payload.ts';
import { signedWebhookHeaders, webhookBody } from './webhook-payload.ts';

/** A channel opened for sending: its URL and secret in the clear, for this attempt only. */
export interface OpenChannel {
  channelId: string;
  kind: ChannelKind;
  url: string;
  /** The webhook signing secret (`whsec_...`); null for Slack and Discord. */
  secret: string | null;
}

export interface DeliveryOptions {
  timeoutMs: number;
  allowPrivate: boolean;
  now?: () => number;
}

export interface Delivery {
  result: PostResult;
  outcome: DeliveryOutcome;
}

/**
 * One attempt: the message in the channel's format, POSTed with the SSRF checks of
 * safePost. A webhook carries `notificationId` as its webhook-id on every attempt, so a
 * receiver drops a repeat; Slack and Discord have no such key.
 */
export async function deliver(
  channel: OpenChannel,
  message: ChannelMessage,
  notificationId: string,
  options: DeliveryOptions,
): Promise<Delivery> {
  const now = options.now ?? Date.now;
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': `hookd/${version()}` };
  let body: string;
  if (channel.kind === 'slack') body = JSON.stringify(slackPayload(message));
  else if (channel.kind === 'discord') body = JSON.stringify(discordPayload(message));
  else {
    body = webhookBody(message, notificationId);
    if (channel.secret) Object.assign(headers, signedWebhookHeaders(channel.secret, notificationId, new Date(now()), body));
  }
  const result = await safePost(channel.url, { headers, body }, { timeoutMs: options.timeoutMs, allowPrivate: options.allowPrivate });
  return { result, outcome: classifyOutcome(channel.kind, result, now()) };
}
