/**
 * A secret as hookd shows it: enough to tell two apart, never enough to use. A URL keeps
 * its scheme, host and the first characters of its path (Slack's and Discord's webhook
 * secrets are the rest of the path): `https://hooks.slack.com/services/T0***`. Anything
 * else keeps its first 4 characters when it has at least 12 (`whsec_` secrets their
 * prefix only), else none.
 */
export function redactSecret(value: string): string {
  if (value.startsWith('whsec_')) return 'whsec_***';
  const url = parseUrl(value);
  if (url) {
    const path = url.pathname.length > 16 ? url.pathname.slice(0, 12) : url.pathname.slice(0, 2);
    return `${url.protocol}//${url.host}${path}***`;
  }
  return value.length >= 12 ? `${value.slice(0, 4)}***` : '***';
}

function parseUrl(value: string): URL | null {
  if (!/^https?:\/\//i.test(value)) return null;
  try {
    return new URL(value);
  } catch {
    return null;
  }
}
