import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { describeTarget, type PostResult, safePost } from './safe-post.ts';

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface TestServer {
  port: number;
  connections: number;
  requests: Received[];
}

const servers: http.Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

/** A real server on a loopback address; the handler sees the request after its body arrived. */
async function serve(handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void, host = '127.0.0.1') {
  const state: TestServer = { port: 0, connections: 0, requests: [] };
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    state.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    handler(req, res, body);
  });
  server.on('connection', () => state.connections++);
  servers.push(server);
  server.listen(0, host);
  await once(server, 'listening');
  state.port = (server.address() as AddressInfo).port;
  return state;
}

const SECRET_PATH = '/services/T000/B000/SECRETXYZ';
const post = (url: string, options: Partial<Parameters<typeof safePost>[2]> = {}, body = '{"text":"hi"}') =>
  safePost(url, { headers: { 'content-type': 'application/json' }, body }, { timeoutMs: 2000, allowPrivate: true, ...options });

/** Every string a result holds, so a leak anywhere in it fails the check. */
function strings(result: PostResult): string {
  return JSON.stringify(result);
}

describe('describeTarget', () => {
  it('names only scheme, host and port', () => {
    expect(describeTarget('https://user:pw@hooks.slack.com/services/T000/B000/SECRETXYZ?x=1#f')).toBe('https://hooks.slack.com');
    expect(describeTarget('http://127.0.0.1:8080/a/b')).toBe('http://127.0.0.1:8080');
    expect(describeTarget('http://[::1]:9/x')).toBe('http://[::1]:9');
    expect(describeTarget('https://example.com:443/x')).toBe('https://example.com');
    expect(describeTarget('not a url /services/SECRETXYZ')).toBe('(invalid URL)');
  });
});

describe('safePost', () => {
  it('posts the body with content-length and returns status, headers and the body excerpt', async () => {
    const server = await serve((_req, res) => res.writeHead(200, { 'x-answer': 'yes' }).end('ok'));
    const result = await post(`http://127.0.0.1:${server.port}/hook`, {}, '{"text":"héllo"}');
    expect(result).toMatchObject({ statusCode: 200, bodyExcerpt: 'ok', error: null });
    expect(result.headers['x-answer']).toBe('yes');
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ method: 'POST', url: '/hook', body: '{"text":"héllo"}' });
    expect(server.requests[0]!.headers['content-length']).toBe(String(Buffer.byteLength('{"text":"héllo"}')));
    expect(server.requests[0]!.headers['content-type']).toBe('application/json');
  });

  it('replaces a caller-supplied content-length with the real one', async () => {
    const server = await serve((_req, res) => res.end('ok'));
    await safePost(
      `http://127.0.0.1:${server.port}/`,
      { headers: { 'Content-Length': '999' }, body: 'abc' },
      { timeoutMs: 2000, allowPrivate: true },
    );
    expect(server.requests[0]!.headers['content-length']).toBe('3');
  });

  it('cuts the body excerpt at maxResponseBytes (default 2048) without buffering an endless body', async () => {
    const big = await serve((_req, res) => res.end('a'.repeat(5000)));
    expect((await post(`http://127.0.0.1:${big.port}/`, { maxResponseBytes: 100 })).bodyExcerpt).toBe('a'.repeat(100));
    expect((await post(`http://127.0.0.1:${big.port}/`)).bodyExcerpt).toHaveLength(2048);

    const endless = await serve((_req, res) => {
      res.writeHead(200);
      const pump = () => {
        while (!res.destroyed && res.write('x'.repeat(16_384)));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    const result = await post(`http://127.0.0.1:${endless.port}/`, { maxResponseBytes: 10 });
    expect(result).toMatchObject({ statusCode: 200, bodyExcerpt: 'x'.repeat(10), error: null });
  });

  it('drops a multi-byte character cut by the byte limit', async () => {
    const server = await serve((_req, res) => res.end('ééé'));
    expect((await post(`http://127.0.0.1:${server.port}/`, { maxResponseBytes: 5 })).bodyExcerpt).toBe('éé');
  });

  it('times out a server that never answers, within timeout + 500 ms', async () => {
    const server = await serve(() => {});
    const started = Date.now();
    const result = await post(`http://127.0.0.1:${server.port}/`, { timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(800);
    expect(result).toMatchObject({ statusCode: null, error: 'timed out after 300 ms' });
    expect(server.requests).toHaveLength(1);
  });

  it('times out a body that stalls, keeping the status line that arrived', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('part');
    });
    const started = Date.now();
    const result = await post(`http://127.0.0.1:${server.port}/`, { timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(800);
    expect(result).toMatchObject({ statusCode: 200, bodyExcerpt: 'part', error: 'timed out after 300 ms' });
  });

  it('reports a connection closed before the answer', async () => {
    const server = await serve((req) => req.socket.destroy());
    const result = await post(`http://127.0.0.1:${server.port}/`);
    expect(result).toMatchObject({ statusCode: null, error: 'connection closed before an answer' });
  });

  it('reports a refused connection on a closed port', async () => {
    const server = await serve(() => {});
    const closed = servers.pop()!;
    closed.close();
    await once(closed, 'close');
    const result = await post(`http://127.0.0.1:${server.port}/`);
    expect(result).toMatchObject({ statusCode: null, headers: {}, bodyExcerpt: '', error: 'connection refused' });
  });

  it('returns a redirect as is without following it', async () => {
    const elsewhere = await serve((_req, res) => res.end('ok'));
    const server = await serve((_req, res) => res.writeHead(302, { location: `http://127.0.0.1:${elsewhere.port}/next` }).end());
    const result = await post(`http://127.0.0.1:${server.port}/`);
    expect(result).toMatchObject({ statusCode: 302, error: null });
    expect(result.headers.location).toBe(`http://127.0.0.1:${elsewhere.port}/next`);
    expect(elsewhere.connections).toBe(0);
  });

  it('refuses non-http schemes and invalid URLs', async () => {
    expect((await post('ftp://127.0.0.1/x')).error).toBe('refused: ftp://127.0.0.1 is not an http or https URL');
    expect((await post('file:///etc/passwd')).error).toMatch(/^refused: /);
    expect((await post('not a url')).error).toBe('refused: not a valid URL');
  });

  describe('private addresses', () => {
    const hint = 'set HOOKD_NOTIFY_ALLOW_PRIVATE=true to allow it';

    it.each([
      ['127.0.0.1', (port: number) => `http://127.0.0.1:${port}/`, '127.0.0.1'],
      ['a decimal IPv4 literal', (port: number) => `http://2130706433:${port}/`, '127.0.0.1'],
      ['a hex IPv4 literal', (port: number) => `http://0x7f.1:${port}/`, '127.0.0.1'],
      ['an IPv4-mapped IPv6 literal', (port: number) => `http://[::ffff:127.0.0.1]:${port}/`, '::ffff:7f00:1'],
      ['localhost, through the lookup', (port: number) => `http://localhost:${port}/`, '127.0.0.1'],
    ])('refuses %s without connecting', async (_name, url, address) => {
      const server = await serve((_req, res) => res.end('ok'));
      const result = await post(url(server.port), { allowPrivate: false });
      expect(result.statusCode).toBeNull();
      expect(result.error).toMatch(/^refused: \S+ resolves to a private address \(/);
      expect(result.error).toContain(`(${address})`);
      expect(result.error).toContain(hint);
      expect(server.connections).toBe(0);
    });

    it('refuses [::1] without connecting', async () => {
      const server = await serve((_req, res) => res.end('ok'), '::1');
      const result = await post(`http://[::1]:${server.port}/`, { allowPrivate: false });
      expect(result).toMatchObject({ statusCode: null, error: `refused: [::1] resolves to a private address (::1); ${hint}` });
      expect(server.connections).toBe(0);
    });

    it('connects when allowPrivate is true, by literal and through the lookup', async () => {
      const v4 = await serve((_req, res) => res.end('ok'));
      expect(await post(`http://127.0.0.1:${v4.port}/`, { allowPrivate: true })).toMatchObject({ statusCode: 200, error: null });
      expect(await post(`http://localhost:${v4.port}/`, { allowPrivate: true })).toMatchObject({ statusCode: 200, error: null });
      const v6 = await serve((_req, res) => res.end('ok'), '::1');
      expect(await post(`http://[::1]:${v6.port}/`, { allowPrivate: true })).toMatchObject({ statusCode: 200, error: null });
      expect(v4.requests).toHaveLength(2);
      expect(v6.requests).toHaveLength(1);
    });

    it('refuses a private address even when the timeout is long, before the deadline', async () => {
      const started = Date.now();
      const result = await post('http://10.0.0.1/', { allowPrivate: false, timeoutMs: 10_000 });
      expect(result.error).toBe(`refused: 10.0.0.1 resolves to a private address (10.0.0.1); ${hint}`);
      expect(Date.now() - started).toBeLessThan(500);
    });
  });

  describe('secrets in the URL', () => {
    const secrets = ['SECRETXYZ', 'T000/B000', 'QUERYSECRET', 'FRAGSECRET', 'userpw'];
    const secretUrl = (host: string) => `http://user:userpw@${host}${SECRET_PATH}?token=QUERYSECRET#FRAGSECRET`;
    const expectClean = (result: PostResult) => {
      for (const secret of secrets) expect(strings(result)).not.toContain(secret);
    };

    it('never appear in refusals or network errors', async () => {
      const silent = await serve(() => {});
      const hangUp = await serve((req) => req.socket.destroy());
      const gone = await serve(() => {});
      const closed = servers.pop()!;
      closed.close();
      await once(closed, 'close');
      const results = await Promise.all([
        post(secretUrl('127.0.0.1'), { allowPrivate: false }),
        post(secretUrl(`localhost:${silent.port}`), { allowPrivate: false }),
        post(secretUrl(`127.0.0.1:${silent.port}`), { timeoutMs: 200 }),
        post(secretUrl(`127.0.0.1:${hangUp.port}`)),
        post(secretUrl(`127.0.0.1:${gone.port}`)),
        post(`ftp://user:userpw@127.0.0.1${SECRET_PATH}?token=QUERYSECRET#FRAGSECRET`),
      ]);
      expect(results.map((r) => r.error)).toEqual([
        expect.stringMatching(/^refused: 127\.0\.0\.1 resolves/),
        expect.stringMatching(/^refused: localhost resolves/),
        'timed out after 200 ms',
        'connection closed before an answer',
        'connection refused',
        'refused: ftp://127.0.0.1 is not an http or https URL',
      ]);
      results.forEach(expectClean);
    });

    it('are masked where the server echoes them in the body or a Location header', async () => {
      const server = await serve((req, res) =>
        res
          .writeHead(404, { location: `https://elsewhere.example${req.url}`, 'x-echo': decodeURIComponent(req.url ?? '') })
          .end(`Cannot POST ${req.url} (token QUERYSECRET, tail SECRETXYZ, auth ${req.headers.authorization})`),
      );
      const result = await post(secretUrl(`127.0.0.1:${server.port}`));
      expect(result.statusCode).toBe(404);
      expect(server.requests[0]!.url).toBe(`${SECRET_PATH}?token=QUERYSECRET`);
      expect(result.bodyExcerpt).toContain('[redacted]');
      expectClean(result);
    });
  });
});
