// Local HTTP receivers standing in for Slack, Discord, ntfy and a webhook endpoint: real sockets
// on 127.0.0.1, answering as those services do by default, or as a test scripts them
// (one step per request), so delivery code meets real status codes, headers and failures.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export type ReceiverKind = 'slack' | 'discord' | 'webhook' | 'ntfy';

export interface ReceivedRequest {
  /** Date.now() when the whole request had arrived. */
  at: number;
  method: string;
  path: string;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
  /** Webhook receivers only: whether the Standard Webhooks signature checked out. */
  verified?: boolean;
  /** ntfy receivers only: the body parsed as JSON (undefined when it is not JSON). */
  json?: unknown;
}

/** An answer, or 'close' (drop the connection unanswered) or 'hang' (never answer until close()). */
export type Step = { status: number; body?: string; headers?: Record<string, string>; delayMs?: number } | 'close' | 'hang';

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** Replaces the steps still queued; each request takes the next, then the default applies. */
  setScript(steps: Step[]): void;
  close(): Promise<void>;
}

export interface WebhookReceiver extends Receiver {
  /** Deliveries received per webhook-id header, to see retries reuse the id. */
  webhookIds(): Map<string, number>;
}

/** Slack's answer to too many messages: 429, Retry-After in whole seconds, a text body. */
export function slackRateLimited(seconds = 1): Step {
  return { status: 429, headers: { 'content-type': 'text/plain', 'retry-after': String(seconds) }, body: 'rate_limited' };
}

/** Discord's 429: retry_after in (fractional) seconds in the JSON body, the header rounded up. */
export function discordRateLimited(seconds = 0.5): Step {
  return {
    status: 429,
    headers: {
      'content-type': 'application/json',
      'retry-after': String(Math.ceil(seconds)),
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset-after': String(seconds),
      'x-ratelimit-scope': 'user',
    },
    body: JSON.stringify({ message: 'You are being rate limited.', retry_after: seconds, global: false }),
  };
}

/** ntfy's answer once a visitor's request bucket is empty: 429 and a JSON error, no Retry-After. */
export function ntfyRateLimited(): Step {
  return {
    status: 429,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: 42901, http: 429, error: 'limit reached: too many requests' }),
  };
}

// Discord's per-webhook bucket as the receiver reports it (it reports, it does not enforce:
// a test wanting a 429 scripts one).
const DISCORD_LIMIT = 5;
const DISCORD_WINDOW_MS = 2000;
const DISCORD_BUCKET = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

export function startReceiver(options: { kind: 'webhook'; secret: string }): Promise<WebhookReceiver>;
export function startReceiver(options: { kind: 'slack' | 'discord' }): Promise<Receiver>;
/** ntfy: with a token, a request without it is refused 403 and with another one 401, as a protected topic is. */
export function startReceiver(options: { kind: 'ntfy'; token?: string }): Promise<Receiver>;
export async function startReceiver(options: { kind: ReceiverKind; secret?: string; token?: string }): Promise<WebhookReceiver> {
  if (options.kind === 'webhook' && !options.secret) throw new Error('a webhook receiver needs the secret to verify with');
  const verifier = options.kind === 'webhook' ? new Webhook(options.secret!) : null;
  const requests: ReceivedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let script: Step[] = [];
  let bucket = { start: 0, count: 0 };

  const discordHeaders = (): Record<string, string> => {
    const now = Date.now();
    if (now - bucket.start >= DISCORD_WINDOW_MS) bucket = { start: now, count: 0 };
    bucket.count++;
    return {
      'x-ratelimit-limit': String(DISCORD_LIMIT),
      'x-ratelimit-remaining': String(Math.max(0, DISCORD_LIMIT - bucket.count)),
      'x-ratelimit-reset-after': ((bucket.start + DISCORD_WINDOW_MS - now) / 1000).toFixed(3),
      'x-ratelimit-bucket': DISCORD_BUCKET,
    };
  };

  const defaultStep = (request: ReceivedRequest): Step => {
    if (options.kind === 'slack') return { status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' };
    if (options.kind === 'discord') return { status: 204 };
    if (options.kind === 'ntfy') return ntfyAnswer(request, options.token);
    return request.verified ? { status: 200 } : { status: 400, body: 'invalid signature' };
  };

  const answer = (request: ReceivedRequest, req: IncomingMessage, res: ServerResponse): void => {
    const step = script.shift() ?? defaultStep(request);
    if (step === 'hang') return;
    if (step === 'close') {
      req.socket.destroy();
      return;
    }
    const send = () => {
      const headers = { ...(options.kind === 'discord' ? discordHeaders() : {}), ...step.headers };
      res.writeHead(step.status, headers).end(step.body ?? '');
    };
    if (!step.delayMs) {
      send();
      return;
    }
    const timer = setTimeout(() => (timers.delete(timer), send()), step.delayMs);
    timers.add(timer);
  };

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      return; // the client went away mid-request: nothing arrived to record
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const request: ReceivedRequest = {
      at: Date.now(),
      method: req.method!,
      path: req.url!,
      headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    if (verifier) request.verified = verifies(verifier, request);
    if (options.kind === 'ntfy') request.json = parseJson(request.body);
    requests.push(request);
    answer(request, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;

  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    setScript(steps) {
      script = [...steps];
    },
    webhookIds() {
      const counts = new Map<string, number>();
      for (const { headers } of requests) {
        const id = headers['webhook-id'];
        if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      return counts;
    },
    // Safe to call twice (a test and its afterEach): the second waits on the first.
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        // Hanging and keep-alive sockets would hold server.close() (and the test's process) open.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** What ntfy answers a JSON publish to its root: the message as stored, topic included. */
function ntfyAnswer(request: ReceivedRequest, token: string | undefined): Step {
  const json = (body: unknown, status = 200): Step => ({
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const auth = request.headers.authorization;
  if (token !== undefined && auth === undefined) return json({ code: 40301, http: 403, error: 'forbidden' }, 403);
  if (token !== undefined && auth !== `Bearer ${token}`) return json({ code: 40101, http: 401, error: 'unauthorized' }, 401);
  const published = request.json as { topic?: unknown; message?: unknown; title?: unknown } | undefined;
  if (request.path !== '/' || typeof published?.topic !== 'string') return json({ code: 40001, http: 400, error: 'invalid request' }, 400);
  return json({
    id: `m${request.at.toString(36)}`,
    time: Math.floor(request.at / 1000),
    event: 'message',
    topic: published.topic,
    title: published.title,
    message: published.message,
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function verifies(verifier: Webhook, request: ReceivedRequest): boolean {
  try {
    verifier.verify(request.body, request.headers, { jsonParse: false });
    return true;
  } catch {
    return false;
  }
}
