/**
 * What one POST's result means for the notification: delivered, worth another try (and
 * when), or never going to work. Service quirks (Slack's "ok" body, Discord's rate-limit
 * headers and JSON retry_after) are read here so the delivery loop stays generic.
 */
import type { ChannelKind } from './channel-kind.ts';
import type { PostResult } from './safe-post.ts';

export interface DeliveryOutcome {
  status: 'sent' | 'retry' | 'permanent';
  reason: string;
  /** How long to wait before the next attempt, when the service said so. */
  retryAfterMs: number | null;
  /** Discord only: the bucket is empty, so the next message to this channel should wait this long. */
  pacingMs: number | null;
}

const MAX_WAIT_MS = 24 * 60 * 60 * 1000;
const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;
const EXCERPT_CHARS = 200;

/**
 * Retry-After as milliseconds from now: delta seconds or an HTTP-date. Clamped to 0..24 h
 * so a wrong clock or a hostile server cannot park a notification forever.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | null {
  const text = value?.trim();
  if (!text) return null;
  const seconds = secondsToMs(text);
  if (seconds !== null) return seconds;
  // Only HTTP-dates: Date.parse would also read "2" or "1.5" as years.
  if (!/[a-z]/i.test(text)) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : clampWait(at - now);
}

export function classifyOutcome(kind: ChannelKind, result: PostResult, now: number): DeliveryOutcome {
  const code = result.statusCode;
  const outcome = (status: DeliveryOutcome['status'], reason: string, retryAfterMs: number | null = null): DeliveryOutcome => ({
    status,
    reason,
    retryAfterMs,
    pacingMs: null,
  });

  if (result.error?.startsWith('refused:')) return outcome('permanent', result.error);
  if (code === null) return outcome('retry', result.error ?? 'no answer');
  const header = (name: string) => result.headers[name];

  if (code >= 200 && code < 300) {
    const notes: string[] = [];
    const body = result.bodyExcerpt.trim();
    if (kind === 'slack' && body !== 'ok') notes.push(`Slack answered "${excerpt(body)}" instead of "ok"`);
    if (result.error) notes.push(result.error);
    const reason = notes.length ? `HTTP ${code}, but ${notes.join('; ')}` : `HTTP ${code}`;
    return { ...outcome('sent', reason), pacingMs: kind === 'discord' ? discordPacing(header, now) : null };
  }

  if (code === 429) {
    const given = [parseRetryAfter(header('retry-after'), now), kind === 'discord' ? discordBodyRetryAfter(result.bodyExcerpt) : null];
    const known = given.filter((ms) => ms !== null);
    const wait = known.length ? Math.max(...known) : (secondsToMs(header('x-ratelimit-reset-after')) ?? DEFAULT_RATE_LIMIT_WAIT_MS);
    const scope = header('x-ratelimit-global') === 'true' ? ' globally' : '';
    return outcome('retry', `rate limited${scope} (HTTP 429), next try in ${Math.ceil(wait / 1000)} s`, wait);
  }

  if (code === 408 || code === 425 || code >= 500) {
    return outcome('retry', withExcerpt(code, result.bodyExcerpt), parseRetryAfter(header('retry-after'), now));
  }
  if (code >= 300 && code < 400) return outcome('permanent', 'redirect to another address is not followed');
  // Other 4xx: Slack says why in the body (no_service, invalid_token, channel_is_archived).
  return outcome('permanent', withExcerpt(code, result.bodyExcerpt));
}

/** Discord's per-route bucket: when nothing remains, wait until it resets. */
function discordPacing(header: (name: string) => string | undefined, now: number): number | null {
  if (header('x-ratelimit-remaining')?.trim() !== '0') return null;
  const after = secondsToMs(header('x-ratelimit-reset-after'));
  if (after !== null) return after;
  // x-ratelimit-reset is epoch seconds, for when the relative header is missing.
  const resetAt = Number(header('x-ratelimit-reset'));
  return header('x-ratelimit-reset') && Number.isFinite(resetAt) ? clampWait(resetAt * 1000 - now) : null;
}

/** Discord's 429 body: {"message": "...", "retry_after": 1.234, "global": false}. */
function discordBodyRetryAfter(body: string): number | null {
  // A regex, not JSON.parse: the excerpt may be cut short.
  const match = /"retry_after"\s*:\s*(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)/.exec(body);
  return match ? clampWait(Number(match[1]) * 1000) : null;
}

/** Seconds (integer or float, as Discord sends them) to clamped milliseconds. */
function secondsToMs(value: string | undefined): number | null {
  const text = value?.trim();
  if (!text || !/^-?\d+(\.\d+)?$/.test(text)) return null;
  return clampWait(Number(text) * 1000);
}

function clampWait(ms: number): number {
  if (!Number.isFinite(ms)) return MAX_WAIT_MS;
  return Math.min(MAX_WAIT_MS, Math.max(0, Math.ceil(ms)));
}

function withExcerpt(code: number, body: string): string {
  const text = excerpt(body);
  return text ? `HTTP ${code}: ${text}` : `HTTP ${code}`;
}

function excerpt(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS - 1)}…` : flat;
}
