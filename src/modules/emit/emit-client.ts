export interface HttpReply {
  status: number;
  body: string;
}

/**
 * POSTs a JSON body and resolves with the reply, or rejects on a network error or when no
 * whole reply arrived within timeoutMs.
 *
 * Plain http:// is spoken here over node:net: loading node:http (or fetch, which loads
 * undici) alone costs more than the whole start-up budget of `hookd emit`, node:net a
 * small part of it. One request per connection, no redirects:
 * all emit needs. https:// goes through node:https, whose load time it then pays.
 * (getBuiltinModule rather than import: see core/builtin-fs.ts.)
 */
export async function postJson(url: URL, body: string, headers: Record<string, string>, timeoutMs: number): Promise<HttpReply> {
  if (url.protocol === 'https:') return postHttps(url, body, headers, timeoutMs);
  if (url.protocol !== 'http:') throw new Error(`HOOKD_URL must be http:// or https:// (got ${url.protocol})`);
  const { connect } = process.getBuiltinModule('node:net');
  const payload = Buffer.from(body, 'utf8');
  const head =
    `POST ${url.pathname}${url.search} HTTP/1.1\r\n` +
    `Host: ${url.host}\r\n` +
    'Content-Type: application/json\r\n' +
    `Content-Length: ${payload.length}\r\n` +
    'Connection: close\r\n' +
    Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('') +
    '\r\n';
  return new Promise<HttpReply>((resolve, reject) => {
    const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 80) });
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (error: Error | null, reply?: HttpReply) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(reply!);
    };
    const timer = setTimeout(() => finish(Object.assign(new Error(`no reply within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
    socket.setNoDelay(true);
    socket.on('connect', () => {
      // Header values are checked printable Latin-1 (see headerValue), which is what a header carries.
      socket.write(Buffer.concat([Buffer.from(head, 'latin1'), payload]));
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const reply = parseReply(Buffer.concat(chunks), false);
      if (reply) finish(null, reply);
    });
    socket.on('end', () => {
      const reply = parseReply(Buffer.concat(chunks), true);
      finish(
        reply ? null : Object.assign(new Error('the connection closed before a whole HTTP reply'), { code: 'ECONNRESET' }),
        reply ?? undefined,
      );
    });
    socket.on('error', (error) => finish(error));
  });
}

/** A whole reply from the bytes so far, or null while more are needed (`ended`: no more will come). */
export function parseReply(data: Buffer, ended: boolean): HttpReply | null {
  const headEnd = data.indexOf('\r\n\r\n');
  if (headEnd < 0) return null;
  const lines = data.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(lines[0] ?? '');
  if (!status) return ended ? { status: 0, body: lines[0] ?? '' } : null;
  const header = (name: string) => {
    const line = lines.find((l) => l.toLowerCase().startsWith(`${name}:`));
    return line
      ?.slice(name.length + 1)
      .trim()
      .toLowerCase();
  };
  const rest = data.subarray(headEnd + 4);
  const code = Number(status[1]);
  if (header('transfer-encoding')?.includes('chunked')) {
    const body = dechunk(rest);
    if (body) return { status: code, body: body.toString('utf8') };
    return ended ? { status: code, body: rest.toString('utf8') } : null;
  }
  const length = header('content-length');
  if (length !== undefined) {
    const n = Number(length);
    if (rest.length >= n) return { status: code, body: rest.subarray(0, n).toString('utf8') };
    return ended ? { status: code, body: rest.toString('utf8') } : null;
  }
  if (code === 204 || code === 304) return { status: code, body: '' };
  return ended ? { status: code, body: rest.toString('utf8') } : null;
}

/** The body of a complete chunked encoding, or null while its last chunk is still missing. */
function dechunk(data: Buffer): Buffer | null {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd < 0) return null;
    const size = parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size)) return null;
    if (size === 0) return Buffer.concat(parts);
    const start = lineEnd + 2;
    if (data.length < start + size + 2) return null;
    parts.push(data.subarray(start, start + size));
    at = start + size + 2;
  }
}

async function postHttps(url: URL, body: string, headers: Record<string, string>, timeoutMs: number): Promise<HttpReply> {
  const { request } = process.getBuiltinModule('node:https');
  return new Promise<HttpReply>((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close', ...headers },
    });
    const timer = setTimeout(
      () => req.destroy(Object.assign(new Error(`no reply within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })),
      timeoutMs,
    );
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(body);
  });
}
