/**
 * One POST to a channel's URL, guarded for a server that reaches user-supplied addresses:
 * no redirects, one deadline over the whole exchange, no private addresses unless allowed,
 * a capped response, and nothing returned that names the URL's path, query or userinfo
 * (Slack and Discord webhook URLs carry their secret in the path).
 */
import { lookup as dnsLookup } from 'node:dns';
import type { ClientRequest, IncomingMessage } from 'node:http';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { StringDecoder } from 'node:string_decoder';
import { isPrivateAddress } from './private-address.ts';

export interface PostResult {
  /** null when no answer came: refused, network error, timeout before the status line. */
  statusCode: number | null;
  /** Response headers, lower-case names, repeated ones joined with ", ". */
  headers: Record<string, string>;
  /** The first maxResponseBytes of the body as UTF-8. */
  bodyExcerpt: string;
  latencyMs: number;
  error: string | null;
}

export interface PostRequest {
  headers: Record<string, string>;
  body: string;
}

export interface PostOptions {
  timeoutMs: number;
  allowPrivate: boolean;
  /** Default 2048. */
  maxResponseBytes?: number;
}

const ALLOW_HINT = 'set HOOKD_NOTIFY_ALLOW_PRIVATE=true to allow it';

/** scheme://host[:port] of a URL: the only part of it that errors and logs may show. */
export function describeTarget(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return '(invalid URL)';
  }
}

/** Thrown by the lookup so the request's error handler can tell a refusal from a DNS failure. */
class PrivateAddressError extends Error {
  readonly address: string;
  constructor(host: string, address: string) {
    super(refusal(host, address));
    this.address = address;
  }
}

export async function safePost(url: string, request: PostRequest, options: PostOptions): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const failed = (error: string): PostResult => ({ statusCode: null, headers: {}, bodyExcerpt: '', latencyMs: elapsed(), error });

  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return failed('refused: not a valid URL');
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    return failed(`refused: ${describeTarget(url)} is not an http or https URL`);
  }
  // The WHATWG parser already turned 2130706433 and 0x7f.1 into 127.0.0.1; IP literals
  // never reach the lookup, so they are judged here, before any socket exists.
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) !== 0 && !options.allowPrivate && isPrivateAddress(host)) {
    return failed(refusal(target.hostname, host));
  }
  const scrub = secretScrubber(target);
  const result = await exchange(target, request, options, host);
  return {
    ...result,
    headers: Object.fromEntries(Object.entries(result.headers).map(([name, value]) => [name, scrub(value)])),
    bodyExcerpt: scrub(result.bodyExcerpt),
    error: result.error === null ? null : scrub(result.error),
    latencyMs: elapsed(),
  };
}

function refusal(host: string, address: string): string {
  return `refused: ${host} resolves to a private address (${address}); ${ALLOW_HINT}`;
}

function exchange(target: URL, request: PostRequest, options: PostOptions, host: string): Promise<PostResult> {
  const maxBytes = options.maxResponseBytes ?? 2048;
  const body = Buffer.from(request.body, 'utf8');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (name.toLowerCase() !== 'content-length') headers[name] = value;
  }
  headers['content-length'] = String(body.length);

  return new Promise((resolve) => {
    let settled = false;
    let req: ClientRequest | undefined;
    let res: IncomingMessage | undefined;
    const chunks: Buffer[] = [];
    let received = 0;

    const finish = (error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({
        statusCode: res?.statusCode ?? null,
        headers: res ? flattenHeaders(res.headers) : {},
        // The decoder holds back a character cut at the byte limit instead of emitting U+FFFD.
        bodyExcerpt: new StringDecoder('utf8').write(Buffer.concat(chunks)),
        latencyMs: 0,
        error,
      });
      // Past this point nothing more is read: drop the socket rather than drain a large body.
      res?.destroy();
      req?.destroy();
    };

    // One deadline for DNS, connect, TLS, upload and the whole answer; a late DNS answer
    // finds the socket destroyed and connects nowhere.
    const timer = setTimeout(() => finish(`timed out after ${options.timeoutMs} ms`), options.timeoutMs);

    const transport = target.protocol === 'https:' ? https : http;
    try {
      req = transport.request(target, {
        method: 'POST',
        headers,
        // A fresh connection each time: a pooled socket would skip the lookup's check.
        agent: false,
        lookup: guardedLookup(host, options.allowPrivate),
      });
    } catch (err) {
      finish(networkError(err));
      return;
    }
    req.on('error', (err) => finish(networkError(err)));
    req.on('response', (response) => {
      res = response;
      if (maxBytes <= 0) return finish(null);
      response.on('data', (chunk: Buffer) => {
        const room = maxBytes - received;
        chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
        received += Math.min(chunk.length, room);
        if (received >= maxBytes) finish(null);
      });
      response.on('end', () => finish(null));
      // The status line arrived, so the answer stands; the note says its body was cut short.
      response.on('close', () => finish(response.complete ? null : 'connection closed during the answer'));
      response.on('error', () => {});
    });
    req.end(body);
  });
}

/**
 * Resolves like dns.lookup but refuses when any address the socket may try is private.
 * Also used for SMTP (email-delivery.ts), which connects to the address it returns.
 */
export function guardedLookup(host: string, allowPrivate: boolean): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    dnsLookup(hostname, { ...lookupOptions, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const blocked = allowPrivate ? undefined : addresses.find((entry) => isPrivateAddress(entry.address));
      if (blocked) return callback(new PrivateAddressError(host, blocked.address), '');
      if (lookupOptions.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error('no address'), { code: 'ENOTFOUND' }), '');
      callback(null, first.address, first.family);
    });
  };
}

const ERROR_TEXT: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection closed before an answer',
  EPIPE: 'connection closed before an answer',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed temporarily',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EPROTO: 'TLS handshake failed',
};

/** A short, fixed text per failure: Node's own messages are not promised to leave out the URL. */
export function networkError(err: unknown): string {
  if (err instanceof PrivateAddressError) return err.message;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return 'request failed';
  if (ERROR_TEXT[code]) return ERROR_TEXT[code];
  if (code.startsWith('HPE_')) return 'answer is not valid HTTP';
  if (code.startsWith('ERR_TLS') || code.includes('CERT') || code.startsWith('ERR_SSL')) return `TLS failed (${code})`;
  return `request failed (${code})`;
}

function flattenHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/**
 * Masks the URL's secrets in what the server sent back: error pages and Location headers
 * often echo the request path. Path segments and query values of 9+ characters go too, so a partial echo
 * of a token is caught while words like "services" and "webhooks" stay readable.
 */
function secretScrubber(target: URL): (text: string) => string {
  const raw = [target.pathname, target.search, target.search.slice(1), target.hash, target.username, target.password];
  const parts = [...target.pathname.split('/'), ...target.searchParams.values()];
  for (const part of parts) if (part.length >= 9) raw.push(part);
  const secrets = new Set<string>();
  for (const value of raw) {
    if (value.length < 2) continue; // "/" or "?" alone hides nothing and would mangle every text
    secrets.add(value);
    try {
      secrets.add(decodeURIComponent(value));
    } catch {
      // A malformed escape has no decoded form to hide.
    }
  }
  // Longest first, so a full path is masked whole before its segments are.
  const ordered = [...secrets].sort((a, b) => b.length - a.length);
  return (text) => ordered.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}
