/**
 * An email channel's URL: where to connect and whom the message is from and to, in one
 * string sealed like every channel URL. `smtp://[user@]host[:port]?from=a@x&to=b@y,c@z`
 * requires STARTTLS (port 587 by default); `smtps://` is TLS from the first byte (465).
 * The password is never part of it: it is the channel's secret, sealed on its own.
 */

export interface SmtpTarget {
  /** smtps://: TLS from the start instead of STARTTLS. */
  secure: boolean;
  /** Normalised as a web host is (lower case, IDNA, IPv4 spellings); IPv6 without brackets. */
  host: string;
  port: number;
  /** Percent-decoded, so a user name that is an address is written `me%40example.com@`. */
  user: string | null;
  from: string;
  to: string[];
  /** smtp:// only. False sends in the clear, for a relay on this host or network. */
  starttls: boolean;
  /** False accepts a certificate no authority signed (a self-signed relay). */
  tlsVerify: boolean;
}

export type SmtpUrl = { ok: true; target: SmtpTarget } | { ok: false; problem: string };

export const MAX_RECIPIENTS = 20;
const OPTIONS = ['from', 'to', 'starttls', 'tls_verify'];
const MAX_ADDRESS_LENGTH = 254;
// A dot-atom local part and a host name: no quoting, comments or display names, so nothing
// in an address can end a header line or add a recipient.
const ADDRESS =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)*$/u;

export function isEmailAddress(value: string): boolean {
  return value.length <= MAX_ADDRESS_LENGTH && ADDRESS.test(value);
}

export function parseSmtpUrl(url: string): SmtpUrl {
  const fail = (problem: string): SmtpUrl => ({ ok: false, problem });
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return fail('is not a URL');
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') return fail('must be smtp:// or smtps:// for an email channel');
  if (parsed.password) return fail("must not hold a password: give it as the channel's secret");
  if (parsed.pathname !== '' && parsed.pathname !== '/') return fail('must have no path: smtp://host[:port]?from=...&to=...');
  if (parsed.hash) return fail('must have no #fragment');
  // smtp: is not a scheme the URL parser knows, so its host is left as written; parsed as
  // https it is normalised like a web host, which is what the private-address check needs.
  if (!parsed.hostname) return fail('names no host');
  let host: string;
  try {
    host = new URL(`https://${parsed.host}`).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return fail('names no valid host');
  }
  const secure = parsed.protocol === 'smtps:';

  let user: string | null = null;
  if (parsed.username) {
    try {
      user = decodeURIComponent(parsed.username);
    } catch {
      return fail('has a user name that is not valid percent-encoding');
    }
  }

  const given = [...parsed.searchParams.keys()];
  const unknown = given.find((key) => !OPTIONS.includes(key));
  if (unknown !== undefined) return fail(`has an unknown option${nameOf(unknown)}; known: ${OPTIONS.join(', ')}`);
  const twice = given.find((key, i) => given.indexOf(key) !== i);
  if (twice !== undefined) return fail(`gives ${twice} more than once`);

  const from = parsed.searchParams.get('from')?.trim() ?? '';
  if (!from) return fail('needs from=: the sender address, e.g. ?from=hookd@example.com');
  if (!isEmailAddress(from)) return fail('from= is not an email address (a plain name@domain)');

  const to = [
    ...new Set(
      (parsed.searchParams.get('to') ?? '')
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean),
    ),
  ];
  if (to.length === 0) return fail('needs to=: 1 to 20 recipient addresses, comma-separated');
  if (to.length > MAX_RECIPIENTS) return fail(`to= names ${to.length} recipients; at most ${MAX_RECIPIENTS}`);
  const bad = to.findIndex((a) => !isEmailAddress(a));
  if (bad >= 0) return fail(`to= entry ${bad + 1} is not an email address (a plain name@domain)`);

  const starttls = flag(parsed.searchParams.get('starttls'));
  if (starttls === undefined) return fail('starttls= must be true or false');
  if (secure && starttls === false) return fail('starttls= applies to smtp:// only: smtps:// is TLS from the start');
  const tlsVerify = flag(parsed.searchParams.get('tls_verify'));
  if (tlsVerify === undefined) return fail('tls_verify= must be true or false');

  return {
    ok: true,
    target: {
      secure,
      host,
      port: parsed.port ? Number(parsed.port) : secure ? 465 : 587,
      user,
      from,
      to,
      starttls: starttls ?? true,
      tlsVerify: tlsVerify ?? true,
    },
  };
}

/** What an email channel shows of its URL: scheme and host; user and recipients stay sealed. */
export function smtpUrlHint(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}***`;
  } catch {
    return '***';
  }
}

/** null: absent; undefined: neither true nor false. */
function flag(value: string | null): boolean | null | undefined {
  if (value === null) return null;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/** Errors name an option only when it looks like one: the URL is a secret, so no other part of it is echoed. */
function nameOf(key: string): string {
  return /^[a-z_]{1,20}$/i.test(key) ? ` "${key}"` : '';
}
