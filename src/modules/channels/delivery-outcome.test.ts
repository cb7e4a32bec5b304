import { describe, expect, it } from 'vitest';
import { classifyOutcome, parseRetryAfter } from './delivery-outcome.ts';
import type { PostResult } from './safe-post.ts';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;

const answer = (statusCode: number | null, extra: Partial<PostResult> = {}): PostResult => ({
  statusCode,
  headers: {},
  bodyExcerpt: '',
  latencyMs: 5,
  error: null,
  ...extra,
});

describe('parseRetryAfter', () => {
  it.each([
    [undefined, null],
    ['', null],
    ['   ', null],
    ['0', 0],
    ['5', 5000],
    [' 120 ', 120_000],
    ['1.5', 1500],
    ['-5', 0],
    ['99999999', DAY],
    ['9'.repeat(400), DAY],
    ['Thu, 01 Jan 2026 12:00:30 GMT', 30_000],
    ['Thu, 01 Jan 2026 11:00:00 GMT', 0],
    ['Sat, 01 Jan 2028 12:00:00 GMT', DAY],
    ['soon', null],
    ['1e3', null],
    ['5 seconds', null],
  ])('reads %j as %j', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });
});

describe('classifyOutcome', () => {
  describe('2xx', () => {
    it('is sent', () => {
      expect(classifyOutcome('webhook', answer(204), NOW)).toEqual({
        status: 'sent',
        reason: 'HTTP 204',
        retryAfterMs: null,
        pacingMs: null,
      });
    });

    it('is sent for slack answering ok', () => {
      expect(classifyOutcome('slack', answer(200, { bodyExcerpt: 'ok' }), NOW)).toMatchObject({ status: 'sent', reason: 'HTTP 200' });
    });

    it('is still sent for slack answering something else, and says so', () => {
      const outcome = classifyOutcome('slack', answer(200, { bodyExcerpt: 'invalid_payload' }), NOW);
      expect(outcome.status).toBe('sent');
      expect(outcome.reason).toContain('invalid_payload');
    });

    it('notes a body cut short by a timeout', () => {
      const outcome = classifyOutcome('webhook', answer(200, { error: 'timed out after 10000 ms' }), NOW);
      expect(outcome).toMatchObject({ status: 'sent', reason: 'HTTP 200, but timed out after 10000 ms' });
    });

    it('paces discord when the bucket is empty', () => {
      const headers = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-after': '1.25' };
      expect(classifyOutcome('discord', answer(204, { headers }), NOW).pacingMs).toBe(1250);
      const absolute = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String((NOW + 3000) / 1000) };
      expect(classifyOutcome('discord', answer(204, { headers: absolute }), NOW).pacingMs).toBe(3000);
      expect(classifyOutcome('discord', answer(204, { headers: { 'x-ratelimit-remaining': '0' } }), NOW).pacingMs).toBeNull();
    });

    it('does not pace discord with requests remaining, nor other kinds', () => {
      expect(
        classifyOutcome('discord', answer(204, { headers: { 'x-ratelimit-remaining': '3', 'x-ratelimit-reset-after': '1' } }), NOW)
          .pacingMs,
      ).toBeNull();
      expect(
        classifyOutcome('webhook', answer(200, { headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-after': '1' } }), NOW)
          .pacingMs,
      ).toBeNull();
    });
  });

  describe('429', () => {
    it('retries after retry-after seconds', () => {
      const outcome = classifyOutcome('webhook', answer(429, { headers: { 'retry-after': '7' } }), NOW);
      expect(outcome).toMatchObject({ status: 'retry', retryAfterMs: 7000 });
      expect(outcome.reason).toContain('rate limited');
    });

    it('retries after a retry-after HTTP-date', () => {
      const outcome = classifyOutcome('slack', answer(429, { headers: { 'retry-after': 'Thu, 01 Jan 2026 12:01:00 GMT' } }), NOW);
      expect(outcome).toMatchObject({ status: 'retry', retryAfterMs: 60_000 });
    });

    it('prefers the larger of the header and discord body retry_after', () => {
      const body = '{"message": "You are being rate limited.", "retry_after": 2.5, "global": false}';
      expect(classifyOutcome('discord', answer(429, { bodyExcerpt: body, headers: { 'retry-after': '1' } }), NOW).retryAfterMs).toBe(2500);
      expect(classifyOutcome('discord', answer(429, { bodyExcerpt: body, headers: { 'retry-after': '4' } }), NOW).retryAfterMs).toBe(4000);
      expect(classifyOutcome('discord', answer(429, { bodyExcerpt: body }), NOW).retryAfterMs).toBe(2500);
    });

    it('reads retry_after only from discord bodies', () => {
      expect(classifyOutcome('webhook', answer(429, { bodyExcerpt: '{"retry_after": 3}' }), NOW).retryAfterMs).toBe(60_000);
    });

    it('falls back to x-ratelimit-reset-after, then to 60 s', () => {
      const headers = { 'x-ratelimit-reset-after': '0.75', 'x-ratelimit-global': 'true' };
      const outcome = classifyOutcome('discord', answer(429, { headers }), NOW);
      expect(outcome).toMatchObject({ status: 'retry', retryAfterMs: 750 });
      expect(outcome.reason).toContain('rate limited globally');
      expect(classifyOutcome('discord', answer(429), NOW).retryAfterMs).toBe(60_000);
    });

    it('clamps absurd waits to a day', () => {
      expect(classifyOutcome('discord', answer(429, { bodyExcerpt: '{"retry_after": 1e12}' }), NOW).retryAfterMs).toBe(DAY);
    });
  });

  describe('retryable failures', () => {
    it.each([408, 425, 500, 502, 504])('retries HTTP %i', (code) => {
      expect(classifyOutcome('webhook', answer(code, { bodyExcerpt: 'upstream trouble' }), NOW)).toEqual({
        status: 'retry',
        reason: `HTTP ${code}: upstream trouble`,
        retryAfterMs: null,
        pacingMs: null,
      });
    });

    it('honours retry-after on 503', () => {
      expect(classifyOutcome('slack', answer(503, { headers: { 'retry-after': '30' } }), NOW)).toMatchObject({
        status: 'retry',
        reason: 'HTTP 503',
        retryAfterMs: 30_000,
      });
    });

    it.each(['timed out after 10000 ms', 'connection refused', 'connection closed before an answer'])(
      'retries a network error: %s',
      (error) => {
        expect(classifyOutcome('discord', answer(null, { error }), NOW)).toEqual({
          status: 'retry',
          reason: error,
          retryAfterMs: null,
          pacingMs: null,
        });
      },
    );
  });

  describe('permanent failures', () => {
    it.each([301, 302, 307, 308])('does not follow HTTP %i', (code) => {
      expect(classifyOutcome('webhook', answer(code, { headers: { location: 'http://elsewhere/' } }), NOW)).toEqual({
        status: 'permanent',
        reason: 'redirect to another address is not followed',
        retryAfterMs: null,
        pacingMs: null,
      });
    });

    it.each(['no_service', 'invalid_token', 'channel_is_archived'])('gives up on slack %s', (body) => {
      expect(classifyOutcome('slack', answer(404, { bodyExcerpt: body }), NOW)).toMatchObject({
        status: 'permanent',
        reason: `HTTP 404: ${body}`,
      });
    });

    it('keeps at most 200 characters of the body, on one line', () => {
      const outcome = classifyOutcome('discord', answer(400, { bodyExcerpt: `{"message":\n"${'x'.repeat(500)}"}` }), NOW);
      expect(outcome.status).toBe('permanent');
      const excerpt = outcome.reason.slice('HTTP 400: '.length);
      expect(excerpt.length).toBeLessThanOrEqual(200);
      expect(excerpt.startsWith('{"message": "xxx')).toBe(true);
    });

    it('names the status alone when the body is empty', () => {
      expect(classifyOutcome('webhook', answer(403), NOW).reason).toBe('HTTP 403');
    });

    it('gives up on a refused private address', () => {
      const error = 'refused: 10.0.0.1 resolves to a private address (10.0.0.1); set HOOKD_NOTIFY_ALLOW_PRIVATE=true to allow it';
      expect(classifyOutcome('webhook', answer(null, { error }), NOW)).toEqual({
        status: 'permanent',
        reason: error,
        retryAfterMs: null,
        pacingMs: null,
      });
    });
  });
});
