/**
 * One email attempt over SMTP, with the guards safePost gives an HTTP channel: the host is
 * resolved here and every address it has is checked for private space (unless allowed),
 * the connection goes to the checked address with TLS verified against the host's name,
 * one deadline covers the whole exchange, and nothing returned names the user, password
 * or recipients. The result is a PostResult whose statusCode is the SMTP reply code, so
 * attempts are recorded like every other channel's.
 *
 * A transport is made per attempt, not pooled per channel: a pooled connection would skip
 * the address check of later attempts (as safePost's agent: false avoids), a password
 * changed with PATCH takes effect at once, and notifications are too rare for the
 * connection setup to matter.
 */
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import nodemailer from 'nodemailer';
import type { ChannelMessage } from './channel-message.ts';
import { emailMessage } from './email-message.ts';
import { isPrivateAddress } from './private-address.ts';
import { guardedLookup, networkError, type PostResult } from './safe-post.ts';
import { parseSmtpUrl, type SmtpTarget } from './smtp-url.ts';

export interface EmailOptions {
  timeoutMs: number;
  allowPrivate: boolean;
  now: () => number;
}

const EXCERPT_CHARS = 500;
/** SMTP commands an error may name; anything else is left out. */
const COMMAND = /^(EHLO|HELO|LHLO|STARTTLS|AUTH [A-Z0-9-]+|MAIL FROM|RCPT TO|DATA|RSET|QUIT)$/;

interface SmtpError {
  code?: string;
  originalCode?: string;
  responseCode?: number;
  response?: string;
  command?: string;
}

export async function sendEmail(
  url: string,
  password: string | null,
  message: ChannelMessage,
  notificationId: string,
  options: EmailOptions,
): Promise<PostResult> {
  const started = performance.now();
  const scrub = scrubber(password);
  const result = (statusCode: number | null, reply: string, error: string | null): PostResult => ({
    statusCode,
    headers: {},
    bodyExcerpt: excerpt(scrub(reply)),
    latencyMs: Math.round(performance.now() - started),
    error: error === null ? null : scrub(error),
  });

  const parsed = parseSmtpUrl(url);
  if (!parsed.ok) return result(null, '', `refused: the channel's URL ${parsed.problem}`);
  const target = parsed.target;
  if (target.user !== null && !password)
    return result(null, '', 'refused: the URL names a user but the channel has no password (its secret)');
  if (!target.starttls && !options.allowPrivate) {
    return result(
      null,
      '',
      'refused: starttls=false sends the login and message in the clear; set HOOKD_NOTIFY_ALLOW_PRIVATE=true for a relay on this host or network',
    );
  }

  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), options.timeoutMs);
  const timedOut = `timed out after ${options.timeoutMs} ms`;
  try {
    let address: string;
    try {
      address = await resolve(target.host, options.allowPrivate, deadline.signal);
    } catch (error) {
      // A refusal reads as safePost's ("refused: ... resolves to a private address").
      return result(null, '', deadline.signal.aborted ? timedOut : networkError(error));
    }
    if (!target.starttls && !isPrivateAddress(address)) {
      return result(
        null,
        '',
        `refused: ${target.host} resolves to a public address; starttls=false is only for a relay on this host or network`,
      );
    }
    const content = emailMessage(message, notificationId, target.from);
    const transport = nodemailer.createTransport(transportOptions(target, address, password, options.timeoutMs));
    try {
      const info = await transport.sendMail({
        from: { name: 'hookd', address: target.from },
        to: target.to,
        subject: content.subject,
        text: content.text,
        html: content.html,
        messageId: content.messageId,
        date: new Date(options.now()),
        headers: content.headers,
        signal: deadline.signal,
      });
      const rejected = info.rejected?.length ?? 0;
      // Addresses are part of the sealed URL: the note counts them, never names them.
      const note = rejected > 0 ? `the server refused ${rejected} of ${target.to.length} recipients` : null;
      return result(replyCode(info.response) ?? 250, info.response ?? '', note);
    } catch (error) {
      if (deadline.signal.aborted) return result(null, '', timedOut);
      const e = (error ?? {}) as SmtpError;
      if (typeof e.responseCode === 'number') {
        const command = e.command && COMMAND.test(e.command) ? e.command : 'the message';
        return result(e.responseCode, e.response ?? '', `the server refused ${command}`);
      }
      return result(null, '', failureText(e));
    } finally {
      transport.close();
    }
  } finally {
    clearTimeout(timer);
  }
}

function transportOptions(target: SmtpTarget, address: string, password: string | null, timeoutMs: number) {
  // The checked address is dialled; the name is what TLS verifies and what SNI sends (never an IP).
  const servername = isIP(target.host) === 0 ? { servername: target.host } : {};
  return {
    host: address,
    port: target.port,
    secure: target.secure,
    ...servername,
    requireTLS: !target.secure && target.starttls,
    ignoreTLS: !target.secure && !target.starttls,
    tls: { ...servername, rejectUnauthorized: target.tlsVerify, minVersion: 'TLSv1.2' as const },
    ...(target.user !== null ? { auth: { user: target.user, pass: password ?? '' }, forceAuth: true } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    logger: false,
    debug: false,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

/** The host's first address, after safePost's lookup has refused private ones (unless allowed). */
function resolve(host: string, allowPrivate: boolean, signal: AbortSignal): Promise<string> {
  return new Promise((done, fail) => {
    signal.addEventListener('abort', () => fail(signal.reason), { once: true });
    guardedLookup(host, allowPrivate)(host, {}, (error, address) => {
      if (error) fail(error);
      else done(address as string);
    });
  });
}

/** nodemailer's error codes, with the system's code beneath them when there is one. */
function failureText(e: SmtpError): string {
  if (e.originalCode) return networkError({ code: e.originalCode });
  if (e.code === 'ETIMEDOUT') return 'the server did not answer in time';
  if (e.code === 'ETLS') return 'TLS failed';
  if (e.code === 'EPROTOCOL') return 'answer is not valid SMTP';
  if (e.code === 'ECONNECTION' || e.code === 'ESOCKET') return 'connection closed before the message was accepted';
  return networkError(e);
}

function replyCode(response: string | undefined): number | null {
  const match = /^([2-5]\d\d)\b/.exec(response ?? '');
  return match ? Number(match[1]) : null;
}

function excerpt(reply: string): string {
  const flat = reply.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS - 1)}…` : flat;
}

/** The password, and its base64 as AUTH sends it, are masked in anything a server says back. */
function scrubber(password: string | null): (text: string) => string {
  if (!password || password.length < 2) return (text) => text;
  const secrets = [password, Buffer.from(password).toString('base64')].sort((a, b) => b.length - a.length);
  return (text) => secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}
