/**
 * What one SMTP attempt's result means for the notification. SMTP says it in its reply
 * code (RFC 5321): 2yz done, 4yz try again later, 5yz never. A refused login is permanent
 * and reported with its own code, which the worker reads to pause the channel: no
 * notification can go until someone fixes the password.
 */
import type { DeliveryOutcome } from './delivery-outcome.ts';
import type { PostResult } from './safe-post.ts';

/** 530 authentication required, 534 mechanism too weak, 535 credentials invalid (RFC 4954). */
export const SMTP_AUTH_FAILED = new Set([530, 534, 535]);
const EXCERPT_CHARS = 200;

export function smtpOutcome(result: PostResult): DeliveryOutcome {
  const code = result.statusCode;
  const outcome = (status: DeliveryOutcome['status'], reason: string): DeliveryOutcome => ({
    status,
    reason,
    retryAfterMs: null,
    pacingMs: null,
  });
  if (result.error?.startsWith('refused:')) return outcome('permanent', result.error);
  if (code === null) return outcome('retry', result.error ?? 'no answer');
  if (code >= 200 && code < 400) return outcome('sent', result.error ? `SMTP ${code}, but ${result.error}` : `SMTP ${code}`);
  const said = [`SMTP ${code}`, result.error, excerpt(result.bodyExcerpt)].filter(Boolean).join(': ');
  if (SMTP_AUTH_FAILED.has(code)) return outcome('permanent', `${said} (the server refused the login: check the user and password)`);
  // 503 (bad sequence of commands) is about the session, not the message: a new one may pass.
  if (code < 500 || code === 503) return outcome('retry', said);
  return outcome('permanent', said);
}

function excerpt(reply: string): string {
  const flat = reply.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS - 1)}…` : flat;
}
