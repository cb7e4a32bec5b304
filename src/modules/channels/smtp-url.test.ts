import { describe, expect, it } from 'vitest';
import { isEmailAddress, parseSmtpUrl, smtpUrlHint } from './smtp-url.ts';

const target = (url: string) => {
  const parsed = parseSmtpUrl(url);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.target;
};
const problem = (url: string) => {
  const parsed = parseSmtpUrl(url);
  return parsed.ok ? null : parsed.problem;
};

describe('parseSmtpUrl', () => {
  it('reads smtp:// as STARTTLS on 587, with the user decoded and recipients split', () => {
    expect(target('smtp://me%40example.com@Smtp.Example.COM?from=hookd@example.com&to=a@example.com,%20b@example.com')).toEqual({
      secure: false,
      host: 'smtp.example.com',
      port: 587,
      user: 'me@example.com',
      from: 'hookd@example.com',
      to: ['a@example.com', 'b@example.com'],
      starttls: true,
      tlsVerify: true,
    });
  });

  it('reads smtps:// as TLS from the start on 465, and takes a port, a trailing slash and the options', () => {
    expect(target('smtps://mail.example.com/?from=h@example.com&to=a@example.com')).toMatchObject({ secure: true, port: 465, user: null });
    expect(target('smtp://[::1]:2525?from=h@example.com&to=a@example.com&starttls=false&tls_verify=false')).toMatchObject({
      host: '::1',
      port: 2525,
      starttls: false,
      tlsVerify: false,
    });
    // An explicit port equal to https' default is kept: the host is normalised apart from it.
    expect(target('smtp://mail.example.com:443?from=h@example.com&to=a@example.com').port).toBe(443);
  });

  it('normalises the host as a web host, so odd IPv4 spellings are seen for what they are', () => {
    expect(target('smtp://0x7f.1?from=h@example.com&to=a@example.com').host).toBe('127.0.0.1');
    expect(target('smtp://2130706433?from=h@example.com&to=a@example.com').host).toBe('127.0.0.1');
  });

  it('drops repeated recipients and allows up to 20', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => `u${i}@example.com`);
    expect(target(`smtp://h?from=h@example.com&to=${twenty.join(',')},u0@example.com`).to).toHaveLength(20);
  });

  it.each([
    ['https://example.com/?from=h@example.com&to=a@example.com', /must be smtp:\/\/ or smtps:\/\//],
    ['not a url', /is not a URL/],
    ['smtp://user:hunter2@h?from=h@example.com&to=a@example.com', /must not hold a password/],
    ['smtp://h/path?from=h@example.com&to=a@example.com', /must have no path/],
    ['smtp://h?from=h@example.com&to=a@example.com#x', /no #fragment/],
    ['smtp://?from=h@example.com&to=a@example.com', /names no host/],
    ['smtp://h?to=a@example.com', /needs from=/],
    ['smtp://h?from=not-an-address&to=a@example.com', /from= is not an email address/],
    ['smtp://h?from=h@example.com', /needs to=/],
    ['smtp://h?from=h@example.com&to=,', /needs to=/],
    ['smtp://h?from=h@example.com&to=a@example.com,Bob <b@example.com>', /to= entry 2 is not an email address/],
    [
      `smtp://h?from=h@example.com&to=${Array.from({ length: 21 }, (_, i) => `u${i}@example.com`).join(',')}`,
      /names 21 recipients; at most 20/,
    ],
    ['smtp://h?from=h@example.com&to=a@example.com&tls_verfy=false', /unknown option "tls_verfy"/],
    ['smtp://h?from=h@example.com&from=x@example.com&to=a@example.com', /gives from more than once/],
    ['smtp://h?from=h@example.com&to=a@example.com&starttls=no', /starttls= must be true or false/],
    ['smtps://h?from=h@example.com&to=a@example.com&starttls=false', /applies to smtp:\/\/ only/],
    ['smtp://h?from=h@example.com&to=a@example.com&tls_verify=0', /tls_verify= must be true or false/],
  ])('refuses %s', (url, expected) => {
    expect(problem(url)).toMatch(expected);
  });

  it('never echoes the URL: its addresses and user are as private as its password', () => {
    const text = problem('smtp://secret-user@h?from=private.sender@corp.example&to=ceo@corp.example,%3Cscript%3E');
    expect(text).not.toContain('ceo@corp.example');
    expect(text).not.toContain('secret-user');
    expect(problem('smtp://h?from=h@example.com&to=a@example.com&tk_0123456789abcdef=1')).not.toContain('tk_0123');
  });
});

describe('isEmailAddress', () => {
  it('takes plain name@domain addresses, internationalised domains too, and nothing that could break a header', () => {
    for (const ok of ['a@example.com', 'first.last+tag@sub.example.org', 'root@localhost', 'x@bücher.example'])
      expect(isEmailAddress(ok)).toBe(true);
    for (const bad of [
      'a',
      '@example.com',
      'a@',
      'a b@example.com',
      'a@example.com\r\nBcc: x@evil.example',
      '"q"@example.com',
      'a..b@example.com',
      'a@-x.example',
    ])
      expect(isEmailAddress(bad)).toBe(false);
    expect(isEmailAddress(`${'a'.repeat(250)}@x.io`)).toBe(false);
  });
});

describe('smtpUrlHint', () => {
  it('shows scheme and host only', () => {
    expect(smtpUrlHint('smtps://me%40example.com@smtp.example.com:465?from=h@example.com&to=ceo@example.com')).toBe(
      'smtps://smtp.example.com:465***',
    );
    expect(smtpUrlHint('smtp://smtp.example.com?from=h@example.com&to=a@example.com')).toBe('smtp://smtp.example.com***');
    expect(smtpUrlHint('::nonsense')).toBe('***');
  });
});
