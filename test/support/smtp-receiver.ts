// A real SMTP server on 127.0.0.1 standing in for a mail relay: STARTTLS (or TLS from the
// start) with smtp-server's built-in self-signed certificate, AUTH PLAIN and LOGIN against
// one user and password, and every message it is sent recorded with its headers and its
// text and HTML parts. A test scripts refusals (one step per connection: hookd opens one
// per attempt), so delivery code meets real SMTP replies.
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

export interface ReceivedMail {
  /** Date.now() when the whole message had arrived. */
  at: number;
  /** The reply code the server answered the message with (250 accepted, or the scripted refusal). */
  code: number;
  mailFrom: string;
  rcptTo: string[];
  /** Who logged in; null when the session did not authenticate. */
  user: string | null;
  /** Whether the session was encrypted when the message was sent. */
  secure: boolean;
  raw: string;
  /** Top-level headers, lower-case names, unfolded, encoded words decoded. */
  headers: Record<string, string>;
  /** The text/plain and text/html parts, transfer encoding undone. */
  text: string;
  html: string;
}

/** A refusal for one connection: at AUTH (530, 534, 535 ...) or as the answer to the message (451, 550 ...). */
export interface SmtpStep {
  at: 'auth' | 'data';
  code: number;
  message?: string;
}

export interface SmtpReceiver {
  port: number;
  /** Every message that reached DATA, accepted or refused, in order. */
  mails: ReceivedMail[];
  /** Connections opened, one per delivery attempt. */
  connections: number;
  /** Replaces the steps still queued; each connection takes the next, then everything is accepted. */
  setScript(steps: SmtpStep[]): void;
  /** An email channel URL for this server: STARTTLS (or smtps://) with certificate checks off. */
  url(options?: { user?: string | null; to?: string[]; from?: string; extra?: string }): string;
  close(): Promise<void>;
}

export interface SmtpReceiverOptions {
  user?: string;
  password?: string;
  /** TLS from the first byte (smtps://) instead of STARTTLS. */
  secure?: boolean;
  /** No STARTTLS at all, and AUTH allowed in the clear: a local relay for starttls=false. */
  plain?: boolean;
}

export async function startSmtpReceiver(options: SmtpReceiverOptions = {}): Promise<SmtpReceiver> {
  const mails: ReceivedMail[] = [];
  let script: SmtpStep[] = [];
  let connections = 0;
  // The step a connection took, by session id.
  const steps = new Map<string, SmtpStep | undefined>();
  const refusal = (step: SmtpStep) => Object.assign(new Error(step.message ?? defaultText(step.code)), { responseCode: step.code });

  const server = new SMTPServer({
    secure: options.secure ?? false,
    logger: false,
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: options.user === undefined,
    ...(options.plain ? { disabledCommands: ['STARTTLS'], allowInsecureAuth: true } : {}),
    disableReverseLookup: true,
    onConnect(session: SMTPServerSession, callback: (err?: Error | null) => void) {
      connections++;
      steps.set(session.id, script.shift());
      callback();
    },
    onAuth(auth, session, callback) {
      const step = steps.get(session.id);
      if (step?.at === 'auth') return callback(refusal(step));
      if (auth.username !== options.user || auth.password !== options.password) {
        return callback(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
      }
      callback(null, { user: auth.username });
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null) => void) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const step = steps.get(session.id);
        const refused = step?.at === 'data' ? step : undefined;
        const raw = Buffer.concat(chunks).toString('utf8');
        mails.push({
          at: Date.now(),
          code: refused?.code ?? 250,
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          user: typeof session.user === 'string' ? session.user : null,
          secure: session.secure,
          raw,
          ...parseMessage(raw),
        });
        callback(refused ? refusal(refused) : null);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  let closing: Promise<void> | undefined;

  return {
    port,
    mails,
    get connections() {
      return connections;
    },
    setScript(next) {
      script = [...next];
    },
    url({ user = options.user ?? null, to = ['ops@example.com'], from = 'hookd@example.com', extra = '' } = {}) {
      const scheme = options.secure ? 'smtps' : 'smtp';
      const login = user === null ? '' : `${encodeURIComponent(user)}@`;
      const tls = options.plain ? 'starttls=false' : 'tls_verify=false';
      return `${scheme}://${login}127.0.0.1:${port}?from=${from}&to=${to.join(',')}&${tls}${extra}`;
    },
    close() {
      closing ??= new Promise<void>((resolve) => server.close(() => resolve()));
      return closing;
    },
  };
}

function defaultText(code: number): string {
  if (code === 451) return 'Requested action aborted: local problem, try again later';
  if (code === 550) return 'Mailbox unavailable';
  if (code === 535) return 'Authentication credentials invalid';
  return code < 500 ? 'Try again later' : 'Refused';
}

/** Headers and the text and HTML parts of a message as nodemailer writes it: enough for tests, not a MIME library. */
export function parseMessage(raw: string): { headers: Record<string, string>; text: string; html: string } {
  const { headers, body } = splitEntity(raw);
  const parts: { type: string; content: string }[] = [];
  collectParts(headers, body, parts);
  return {
    headers,
    text: parts.find((p) => p.type === 'text/plain')?.content ?? '',
    html: parts.find((p) => p.type === 'text/html')?.content ?? '',
  };
}

function collectParts(headers: Record<string, string>, body: string, parts: { type: string; content: string }[]): void {
  const type = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (type.toLowerCase().startsWith('multipart/') && boundary) {
    const sections = body.split(`--${boundary}`).slice(1);
    for (const section of sections) {
      if (section.startsWith('--')) break;
      const part = splitEntity(section.replace(/^\r\n/, ''));
      collectParts(part.headers, part.body, parts);
    }
    return;
  }
  parts.push({ type: type.split(';')[0]!.trim().toLowerCase(), content: decodeBody(body, headers['content-transfer-encoding'] ?? '7bit') });
}

function splitEntity(raw: string): { headers: Record<string, string>; body: string } {
  const end = raw.indexOf('\r\n\r\n');
  const head = end < 0 ? raw : raw.slice(0, end);
  const body = end < 0 ? '' : raw.slice(end + 4);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers[name] ??= decodeWords(line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function decodeBody(body: string, encoding: string): string {
  const text = body.replace(/\r\n$/, '');
  if (/base64/i.test(encoding)) return Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/quoted-printable/i.test(encoding)) return decodeQuotedPrintable(text);
  return text;
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  const soft = text.replace(/=\r\n/g, '');
  for (let i = 0; i < soft.length; i++) {
    const hex = soft[i] === '=' ? /^[0-9A-F]{2}/i.exec(soft.slice(i + 1, i + 3)) : null;
    if (hex) {
      bytes.push(Number.parseInt(hex[0], 16));
      i += 2;
    } else bytes.push(...Buffer.from(soft[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words (=?UTF-8?Q?...?= and =?UTF-8?B?...?=), as non-ASCII subjects are sent. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_all, _charset: string, kind: string, text: string) =>
      kind.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}
