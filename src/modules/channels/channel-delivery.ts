import { version } from '../../core/version.ts';
import type { ChannelKind } from './channel-kind.ts';
import type { ChannelMessage } from './channel-message.ts';
import { classifyOutcome, type DeliveryOutcome } from './delivery-outcome.ts';
import { discordPayload } from './discord-payload.ts';
import { sendEmail } from './email-delivery.ts';
import { ntfyPayload, parseNtfyUrl } from './ntfy-payload.ts';
import { safePost, type PostResult } from './safe-post.ts';
import { slackPayload } from './slack-payload.ts';
import { smtpOutcome } from './smtp-outcome.ts';
import { signedWebhookHeaders, webhookBody } from './webhook-payload.ts';

/** A channel opened for sending: its URL and secret in the clear, for this attempt only. */
export interface OpenChannel {
  channelId: string;
  kind: ChannelKind;
  url: string;
  /** A webhook's signing secret (`whsec_...`), an email channel's SMTP password, an ntfy access token; null for Slack and Discord. */
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
 * safePost, or mailed with the same checks (email-delivery.ts). A webhook carries
 * `notificationId` as its webhook-id on every attempt, so a receiver drops a repeat; an
 * email carries a Message-ID made from it; Slack, Discord and ntfy have no such key.
 */
export async function deliver(
  channel: OpenChannel,
  message: ChannelMessage,
  notificationId: string,
  options: DeliveryOptions,
): Promise<Delivery> {
  const now = options.now ?? Date.now;
  if (channel.kind === 'email') {
    const result = await sendEmail(channel.url, channel.secret, message, notificationId, { ...options, now });
    return { result, outcome: smtpOutcome(result) };
  }
  if (channel.kind === 'ntfy') return deliverNtfy(channel, message, options, now);
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

/** ntfy: JSON to the server's root, the topic in the body, the token (if any) as a bearer. */
async function deliverNtfy(channel: OpenChannel, message: ChannelMessage, options: DeliveryOptions, now: () => number): Promise<Delivery> {
  const parsed = parseNtfyUrl(channel.url);
  if (!parsed.ok) {
    const result: PostResult = {
      statusCode: null,
      headers: {},
      bodyExcerpt: '',
      latencyMs: 0,
      error: `refused: the channel's URL ${parsed.problem}`,
    };
    return { result, outcome: classifyOutcome(channel.kind, result, now()) };
  }
  const { publishUrl, topic } = parsed.target;
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': `hookd/${version()}` };
  if (channel.secret) headers.authorization = `Bearer ${channel.secret}`;
  const posted = await safePost(
    publishUrl,
    { headers, body: JSON.stringify(ntfyPayload(message, topic)) },
    { timeoutMs: options.timeoutMs, allowPrivate: options.allowPrivate },
  );
  // ntfy answers with the published message, topic included; safePost only masks what is in
  // the URL it posted to, and the topic (on ntfy.sh, the only thing keeping it private) is not.
  const result = masked(posted, [topic, channel.secret]);
  return { result, outcome: classifyOutcome(channel.kind, result, now()) };
}

function masked(result: PostResult, secrets: (string | null)[]): PostResult {
  // A topic of one or two characters is guessable anyway, and masking it would mangle every text.
  const hidden = secrets.filter((s): s is string => s !== null && s.length >= 3).sort((a, b) => b.length - a.length);
  const mask = (text: string) => hidden.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
  return {
    ...result,
    headers: Object.fromEntries(Object.entries(result.headers).map(([name, value]) => [name, mask(value)])),
    bodyExcerpt: mask(result.bodyExcerpt),
    error: result.error === null ? null : mask(result.error),
  };
}
