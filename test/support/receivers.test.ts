import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newWebhookSecret, signedWebhookHeaders } from '../../src/modules/channels/webhook-payload.ts';
import { discordRateLimited, ntfyRateLimited, type Receiver, slackRateLimited, startReceiver } from './receivers.ts';

const open: Receiver[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(open.splice(0).map((receiver) => receiver.close()));
});

async function start<R extends Receiver>(receiver: Promise<R>): Promise<R> {
  const started = await receiver;
  open.push(started);
  return started;
}

function post(url: string, body = '{}', headers: Record<string, string> = { 'content-type': 'application/json' }) {
  return fetch(url, { method: 'POST', body, headers });
}

describe('slack receiver', () => {
  it('answers 200 ok and records the request', async () => {
    const slack = await start(startReceiver({ kind: 'slack' }));
    expect(slack.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const before = Date.now();
    const response = await post(`${slack.url}services/T0/B0/x`, '{"text":"hi"}', { 'Content-Type': 'application/json', 'X-Trace': 'abc' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
    expect(slack.requests).toHaveLength(1);
    const [received] = slack.requests;
    expect(received).toMatchObject({ method: 'POST', path: '/services/T0/B0/x', body: '{"text":"hi"}' });
    expect(received!.headers['content-type']).toBe('application/json');
    expect(received!.headers['x-trace']).toBe('abc');
    expect(received!.at).toBeGreaterThanOrEqual(before);
    expect(received!.at).toBeLessThanOrEqual(Date.now());
    expect(received).not.toHaveProperty('verified');
  });

  it('plays a script one step per request, then falls back to the default', async () => {
    const slack = await start(startReceiver({ kind: 'slack' }));
    slack.setScript([slackRateLimited(3), { status: 500, body: 'boom', headers: { 'x-slack-req': '1' } }]);
    const limited = await post(slack.url);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(await limited.text()).toBe('rate_limited');
    const failed = await post(slack.url);
    expect(failed.status).toBe(500);
    expect(failed.headers.get('x-slack-req')).toBe('1');
    expect(await failed.text()).toBe('boom');
    const ok = await post(slack.url);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('ok');
    expect(slack.requests).toHaveLength(3);
  });

  it('replaces the queued steps on setScript', async () => {
    const slack = await start(startReceiver({ kind: 'slack' }));
    slack.setScript([{ status: 500 }, { status: 500 }]);
    expect((await post(slack.url)).status).toBe(500);
    slack.setScript([{ status: 418 }]);
    expect((await post(slack.url)).status).toBe(418);
    expect((await post(slack.url)).status).toBe(200);
  });

  it('delays an answer by delayMs', async () => {
    const slack = await start(startReceiver({ kind: 'slack' }));
    slack.setScript([{ status: 200, body: 'late', delayMs: 250 }]);
    const started = performance.now();
    const response = await post(slack.url);
    expect(await response.text()).toBe('late');
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
  });

  it("drops the connection unanswered on 'close'", async () => {
    const slack = await start(startReceiver({ kind: 'slack' }));
    slack.setScript(['close']);
    await expect(post(slack.url, '{"text":"lost"}')).rejects.toThrow(/fetch failed/);
    // The request was read in full before the socket went.
    expect(slack.requests.map((r) => r.body)).toEqual(['{"text":"lost"}']);
    expect((await post(slack.url)).status).toBe(200);
  });

  it("holds a 'hang' until close(), which ends the socket promptly", async () => {
    const slack = await start(startReceiver({ kind: 'slack' }));
    slack.setScript(['hang']);
    const pending = post(slack.url);
    const outcome = pending.then(
      () => 'answered',
      () => 'failed',
    );
    await vi.waitFor(() => expect(slack.requests).toHaveLength(1));
    const raced = await Promise.race([outcome, new Promise((resolve) => setTimeout(resolve, 200, 'still waiting'))]);
    expect(raced).toBe('still waiting');
    const started = performance.now();
    await slack.close();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await outcome).toBe('failed');
    await expect(post(slack.url)).rejects.toThrow(/fetch failed/);
  });

  it('close() does not wait for a delayed answer or a kept-alive connection', async () => {
    const slack = await start(startReceiver({ kind: 'slack' }));
    expect((await post(slack.url)).status).toBe(200); // leaves a keep-alive socket open
    slack.setScript([{ status: 200, delayMs: 60_000 }]);
    const outcome = post(slack.url).then(
      () => 'answered',
      () => 'failed',
    );
    await vi.waitFor(() => expect(slack.requests).toHaveLength(2));
    const started = performance.now();
    await slack.close();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await outcome).toBe('failed');
  });
});

describe('discord receiver', () => {
  it('answers 204 with rate-limit headers counting down within the window', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const discord = await start(startReceiver({ kind: 'discord' }));
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await post(`${discord.url}api/webhooks/1/abc`);
      expect(response.status).toBe(204);
      expect(await response.text()).toBe('');
      expect(response.headers.get('x-ratelimit-limit')).toBe('5');
      expect(response.headers.get('x-ratelimit-bucket')).toMatch(/^[0-9a-f]{32}$/);
      expect(Number(response.headers.get('x-ratelimit-reset-after'))).toBe(2);
      remaining.push(response.headers.get('x-ratelimit-remaining'));
    }
    expect(remaining).toEqual(['4', '3', '2', '1', '0', '0']);
    vi.setSystemTime(Date.now() + 1500);
    const later = await post(discord.url);
    expect(later.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(later.headers.get('x-ratelimit-reset-after'))).toBe(0.5);
    vi.setSystemTime(Date.now() + 600);
    const fresh = await post(discord.url);
    expect(fresh.headers.get('x-ratelimit-remaining')).toBe('4');
    expect(discord.requests).toHaveLength(8);
  });

  it("answers Discord's 429 JSON from the step builder, with the bucket's headers", async () => {
    const discord = await start(startReceiver({ kind: 'discord' }));
    discord.setScript([discordRateLimited(), discordRateLimited(2.25)]);
    const first = await post(discord.url);
    expect(first.status).toBe(429);
    expect(first.headers.get('content-type')).toBe('application/json');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(first.headers.get('x-ratelimit-limit')).toBe('5');
    expect(await first.json()).toEqual({ message: 'You are being rate limited.', retry_after: 0.5, global: false });
    const second = await post(discord.url);
    expect(second.headers.get('retry-after')).toBe('3');
    expect(((await second.json()) as { retry_after: number }).retry_after).toBe(2.25);
    expect((await post(discord.url)).status).toBe(204);
  });
});

describe('webhook receiver', () => {
  const secret = newWebhookSecret();
  const body = '{"type":"notification.stop","data":{}}';

  it('answers 200 to a valid signature and 400 otherwise, recording which', async () => {
    const webhook = await start(startReceiver({ kind: 'webhook', secret }));
    const good = await post(webhook.url, body, signedWebhookHeaders(secret, 'msg_1', new Date(), body));
    expect(good.status).toBe(200);
    const otherSecret = await post(webhook.url, body, signedWebhookHeaders(newWebhookSecret(), 'msg_2', new Date(), body));
    expect(otherSecret.status).toBe(400);
    const altered = await post(webhook.url, body.replace('stop', 'input'), signedWebhookHeaders(secret, 'msg_3', new Date(), body));
    expect(altered.status).toBe(400);
    const unsigned = await post(webhook.url, body);
    expect(unsigned.status).toBe(400);
    expect(webhook.requests.map((r) => r.verified)).toEqual([true, false, false, false]);
  });

  it('verifies a signed body that is not JSON', async () => {
    const webhook = await start(startReceiver({ kind: 'webhook', secret }));
    const response = await post(webhook.url, 'plain text', signedWebhookHeaders(secret, 'msg_1', new Date(), 'plain text'));
    expect(response.status).toBe(200);
    expect(webhook.requests[0]!.verified).toBe(true);
  });

  it('counts deliveries per webhook-id', async () => {
    const webhook = await start(startReceiver({ kind: 'webhook', secret }));
    webhook.setScript([{ status: 503 }]);
    const statuses: number[] = [];
    for (const id of ['msg_a', 'msg_a', 'msg_b'])
      statuses.push((await post(webhook.url, body, signedWebhookHeaders(secret, id, new Date(), body))).status);
    statuses.push((await post(webhook.url, body)).status);
    expect(webhook.webhookIds()).toEqual(
      new Map([
        ['msg_a', 2],
        ['msg_b', 1],
      ]),
    );
    // The script answered the first delivery; the unsigned one counts under no id.
    expect(statuses).toEqual([503, 200, 200, 400]);
    expect(webhook.requests.map((r) => r.verified)).toEqual([true, true, true, false]);
  });

  it('lets a script override the answer to a verified delivery', async () => {
    const webhook = await start(startReceiver({ kind: 'webhook', secret }));
    webhook.setScript([{ status: 500, body: 'down' }]);
    const headers = signedWebhookHeaders(secret, 'msg_1', new Date(), body);
    const first = await post(webhook.url, body, headers);
    expect(first.status).toBe(500);
    expect(await first.text()).toBe('down');
    expect((await post(webhook.url, body, headers)).status).toBe(200);
  });

  it('refuses to start without a secret', async () => {
    await expect(startReceiver({ kind: 'webhook', secret: '' })).rejects.toThrow(/secret/);
  });

  it('receives over plain node:http as well as fetch', async () => {
    const webhook = await start(startReceiver({ kind: 'webhook', secret }));
    const headers = signedWebhookHeaders(secret, 'msg_http', new Date(), body);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${webhook.url}hooks/in`, { method: 'PUT', headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(status).toBe(200);
    expect(webhook.requests[0]).toMatchObject({ method: 'PUT', path: '/hooks/in', body, verified: true });
  });
});

describe('ntfy receiver', () => {
  const publish = { topic: 'alerts', title: 'Tests pass ✅', message: 'All 12', priority: 4, tags: ['checkered_flag'] };

  it('answers a JSON publish to its root with the stored message, and records the body parsed', async () => {
    const ntfy = await start(startReceiver({ kind: 'ntfy' }));
    const response = await post(ntfy.url, JSON.stringify(publish));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ event: 'message', topic: 'alerts', title: 'Tests pass ✅', message: 'All 12' });
    expect(ntfy.requests[0]).toMatchObject({ path: '/', json: publish });
    // Not JSON, or not at the root: 400 as ntfy's JSON publishing answers.
    expect((await post(ntfy.url, 'plain text')).status).toBe(400);
    expect((await post(`${ntfy.url}alerts`, JSON.stringify(publish))).status).toBe(400);
    expect(ntfy.requests[1]!.json).toBeUndefined();
  });

  it('guards a protected topic: 403 without a token, 401 with another one', async () => {
    const ntfy = await start(startReceiver({ kind: 'ntfy', token: 'tk_right' }));
    const body = JSON.stringify(publish);
    expect((await post(ntfy.url, body)).status).toBe(403);
    expect((await post(ntfy.url, body, { 'content-type': 'application/json', authorization: 'Bearer tk_wrong' })).status).toBe(401);
    expect((await post(ntfy.url, body, { 'content-type': 'application/json', authorization: 'Bearer tk_right' })).status).toBe(200);
    expect(ntfy.requests.map((r) => r.headers.authorization)).toEqual([undefined, 'Bearer tk_wrong', 'Bearer tk_right']);
  });

  it("plays ntfy's 429 from the step builder", async () => {
    const ntfy = await start(startReceiver({ kind: 'ntfy' }));
    ntfy.setScript([ntfyRateLimited()]);
    const limited = await post(ntfy.url, JSON.stringify(publish));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeNull();
    expect(await limited.json()).toMatchObject({ code: 42901, http: 429 });
    expect((await post(ntfy.url, JSON.stringify(publish))).status).toBe(200);
  });
});
