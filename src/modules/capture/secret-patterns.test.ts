import { describe, expect, it } from 'vitest';
import { SECRET_PATTERNS, isSecretKey, redactSecretValue, redactString } from './secret-patterns.ts';

const GHP = 'ghp_' + 'aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx4Fz\nq9Lw+/0=\n-----END RSA PRIVATE KEY-----';

// [input, expected output, redactions]
const redacted: [string, string, number][] = [
  [`key:\n${PEM}\nnext`, 'key:\n[REDACTED:private_key]\nnext', 1],
  ['"-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXk\\nAAAA"', '"[REDACTED:private_key]"', 1],
  ['-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBF\n-----END PGP PRIVATE KEY BLOCK----- done', '[REDACTED:private_key] done', 1],
  ['curl -H "Authorization: Bearer abc123def456" https://x', 'curl -H "Authorization: Bearer [REDACTED:bearer]" https://x', 1],
  ['Authorization: Basic dXNlcjpwYXNz', 'Authorization: Basic [REDACTED:bearer]', 1],
  [`authorization: token ${GHP}`, 'authorization: token [REDACTED:bearer]', 1],
  ['{"Authorization":"k9x8c7v6b5n4m3"}', '{"Authorization":"[REDACTED:bearer]"}', 1],
  ['sent Bearer 0a1b2c3d4e5f then', 'sent Bearer [REDACTED:bearer] then', 1],
  [`Bearer ${JWT}`, 'Bearer [REDACTED:bearer]', 1],
  ['postgres://app:s3cr3t@db.internal:5432/billing', 'postgres://app:[REDACTED:url_password]@db.internal:5432/billing', 1],
  ['redis://:p@ss@cache/0', 'redis://:[REDACTED:url_password]@cache/0', 1],
  [
    `git clone https://${GHP}:x-oauth-basic@github.com/a/b`,
    'git clone https://[REDACTED:github_token]:[REDACTED:url_password]@github.com/a/b',
    2,
  ],
  ['id AKIAIOSFODNN7EXAMPLE and ASIAY34FZKBOKMUTVV7A', 'id [REDACTED:aws_access_key] and [REDACTED:aws_access_key]', 2],
  [`push with ${GHP}.`, 'push with [REDACTED:github_token].', 1],
  ['gho_16C7e42F292c6912E7710c838347Ae178B4a x', '[REDACTED:github_token] x', 1],
  ['github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', '[REDACTED:github_token]', 1],
  ['SLACK=xoxb-123456789012-1234567890123-AbCdEfGhIjKl', 'SLACK=[REDACTED:slack_token]', 1],
  ['key sk-ant-api03-AbCdEfGhIjKlMnOpQrStUv-_0123 end', 'key [REDACTED:anthropic_key] end', 1],
  ['key sk-proj-AbCdEfGhIjKlMnOpQrSt1234 end', 'key [REDACTED:openai_key] end', 1],
  ['sk-Ab1dEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGh', '[REDACTED:openai_key]', 1],
  ['sk_live_4eC39HqLyjWDarjtT1zdp7dc rk_live_51HxYzAbCdEfGhIjKl', '[REDACTED:stripe_key] [REDACTED:stripe_key]', 2],
  ['maps AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY ok', 'maps [REDACTED:google_api_key] ok', 1],
  [`cookie=x; jwt ${JWT}`, 'cookie=x; jwt [REDACTED:jwt]', 1],
  ['DB_PASSWORD=hunter2 npm start', 'DB_PASSWORD=[REDACTED:assignment] npm start', 1],
  ['{"password": "x\\"y", "max_tokens": 5}', '{"password": "[REDACTED:assignment]", "max_tokens": 5}', 1],
  ["secret_key = 'abc def'", "secret_key = '[REDACTED:assignment]'", 1],
  ['{\\"client_secret\\": \\"shh\\"}', '{\\"client_secret\\": \\"[REDACTED:assignment]\\"}', 1],
  [
    'apiKey: abc123 ACCESS_KEY=zzz Private-Key: k',
    'apiKey: [REDACTED:assignment] ACCESS_KEY=[REDACTED:assignment] Private-Key: [REDACTED:assignment]',
    3,
  ],
  [
    'mysql --password hunter2 --api-token=zzz --token --verbose',
    'mysql --password [REDACTED:assignment] --api-token=[REDACTED:assignment] --token --verbose',
    2,
  ],
  ['GET /v1?api_key=abc123&page=2', 'GET /v1?api_key=[REDACTED:assignment]&page=2', 1],
  ['token=x', 'token=[REDACTED:assignment]', 1],
  ['s://:p@h', 's://:[REDACTED:url_password]@h', 1],
  ['token := abc; passwd => "x"', 'token := [REDACTED:assignment]; passwd => "[REDACTED:assignment]"', 2],
  ['token: Bearer abc', 'token: [REDACTED:assignment]', 1],
  ['password=Bearer Bearer Qz81Lm02Kq', 'password=[REDACTED:assignment] Bearer [REDACTED:bearer]', 2],
  ['Authorization: Basic DB_PASSWORD=x1', 'Authorization: Basic [REDACTED:bearer]', 1],
  [`private_key: ${PEM}`, 'private_key: [REDACTED:private_key]', 1],
  [`GITHUB_TOKEN=${GHP}`, 'GITHUB_TOKEN=[REDACTED:assignment]', 1],
  ['curl -u admin:s3cr3t https://api.example.com', 'curl -u admin:[REDACTED:cli_credential] https://api.example.com', 1],
  ["curl --user='ci-bot:p4ss w' -X POST", "curl --user='ci-bot:[REDACTED:cli_credential]' -X POST", 1],
  [
    `curl -u ${GHP}:x-oauth-basic https://api.github.com`,
    'curl -u [REDACTED:github_token]:[REDACTED:cli_credential] https://api.github.com',
    2,
  ],
  ['mysql -uroot -phunter2 billing', 'mysql -uroot -p[REDACTED:cli_credential] billing', 1],
  [
    'mysqldump -h db --password=abc -pXYZ123 shop > dump.sql',
    'mysqldump -h db --password=[REDACTED:assignment] -p[REDACTED:cli_credential] shop > dump.sql',
    2,
  ],
];

const untouched = [
  'Reset your password if you forgot the password. password:',
  'a9f3c2e1d4b5a6f7e8d9c0b1a2f3e4d5c6b7a8f9',
  '7f3c2a9e-1b4d-4c8e-9a51-2d6f0e8b1c34',
  'sk-abc',
  'class="sk-loading-spinner-container"',
  'task-sk-Ab1dEfGhIjKlMnOpQrStUvWx0123',
  'Use a Bearer token to authenticate',
  'Authorization: required for every call',
  'postgres://app@db.internal:5432/billing and https://example.com:8080/a@b',
  'git@github.com:ana/billing.git',
  '{"max_tokens": 4096, "input_tokens": 12, "token_type": "Bearer", "tokenizer": "x"}',
  'interface Login { password: string; token?: string }',
  'hasPassword: true, secret: null, password: $DB_PASSWORD',
  'if (password == "x") {}',
  'ghp_short AKIA123 xoxb- AIzaShort eyJonly.eyJ',
  'the secretary said: fine',
  '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQY\n-----END PUBLIC KEY-----',
  'git push -u origin main; set -u; mkdir -p /tmp/x; cp -p a b',
  'mysql -p billing; mysql -u root -p -h db',
  'curl -u admin https://x (prompts for the password)',
];

describe('redactString', () => {
  it.each(redacted)('redacts %j', (input, output, count) => {
    expect(redactString(input)).toEqual({ text: output, redactions: count });
  });

  it.each(untouched)('leaves %j alone', (input) => {
    expect(redactString(input)).toEqual({ text: input, redactions: 0 });
  });

  it('is idempotent: a second pass finds nothing', () => {
    for (const [input] of redacted) {
      const once = redactString(input).text;
      expect(redactString(once)).toEqual({ text: once, redactions: 0 });
    }
  });

  it('takes the key body when the END line was cut off', () => {
    const r = redactString('-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0B\nAQEFAASC');
    expect(r).toEqual({ text: '[REDACTED:private_key]', redactions: 1 });
  });

  it('returns the very same string when nothing matched', () => {
    const s = 'no secrets here, just a long enough sentence';
    expect(redactString(s).text).toBe(s);
  });

  it('stays linear on hostile megabyte strings', () => {
    const hostile = ['a', '-', 'password', '--token', 'sk-', '-eyJ', '://a:', 'Bearer ', '-----BEGIN AAAA '];
    for (const unit of hostile) {
      const s = unit.repeat(Math.ceil((256 * 1024) / unit.length));
      const started = performance.now();
      redactString(s);
      expect(performance.now() - started, unit).toBeLessThan(1500);
    }
  });
});

describe('isSecretKey', () => {
  it('recognizes names ending in a secret word, in any case', () => {
    for (const key of [
      'password',
      'DB_PASSWORD',
      'passwd',
      'clientSecret',
      'SECRET_KEY',
      'token',
      'access_token',
      'api_key',
      'x-api-key',
      'apikey',
      'AWS_SECRET_ACCESS_KEY',
      'private_key',
      'client_secret',
      'Authorization',
      'proxy-authorization',
    ]) {
      expect(isSecretKey(key), key).toBe(true);
    }
  });

  it('ignores ids, counts and names merely containing a secret word', () => {
    for (const key of [
      'session_id',
      'cwd',
      'tool_name',
      'max_tokens',
      'token_type',
      'tokenizer',
      'password_policy',
      'secretary',
      'key',
      'monkey',
      'content',
      '',
    ]) {
      expect(isSecretKey(key), key).toBe(false);
    }
  });
});

describe('redactSecretValue', () => {
  it('replaces the whole value, keeping an Authorization scheme word', () => {
    const tally = { redactions: 0 };
    expect(redactSecretValue('password', 'correct horse', tally)).toBe('[REDACTED:assignment]');
    expect(redactSecretValue('Authorization', 'Bearer abc', tally)).toBe('Bearer [REDACTED:bearer]');
    expect(redactSecretValue('authorization', 'abc', tally)).toBe('[REDACTED:bearer]');
    expect(tally.redactions).toBe(3);
  });

  it('leaves empty and already redacted values, uncounted', () => {
    const tally = { redactions: 0 };
    expect(redactSecretValue('token', '', tally)).toBe('');
    expect(redactSecretValue('token', '[REDACTED:assignment]', tally)).toBe('[REDACTED:assignment]');
    expect(redactSecretValue('Authorization', 'Basic [REDACTED:bearer]', tally)).toBe('Basic [REDACTED:bearer]');
    expect(tally.redactions).toBe(0);
  });
});

describe('SECRET_PATTERNS', () => {
  it('describes every kind once, and every kind is produced by some input', () => {
    const kinds = SECRET_PATTERNS.map((p) => p.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    const produced = new Set(redacted.flatMap(([, out]) => [...out.matchAll(/\[REDACTED:(\w+)\]/g)].map((m) => m[1])));
    expect([...produced].sort()).toEqual([...kinds].sort());
    expect(SECRET_PATTERNS.every((p) => p.description.length > 10)).toBe(true);
  });
});
