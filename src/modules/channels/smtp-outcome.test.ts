import { describe, expect, it } from 'vitest';
import type { PostResult } from './safe-post.ts';
import { smtpOutcome } from './smtp-outcome.ts';

const result = (statusCode: number | null, bodyExcerpt = '', error: string | null = null): PostResult => ({
  statusCode,
  headers: {},
  bodyExcerpt,
  latencyMs: 12,
  error,
});

describe('smtpOutcome', () => {
  it('is sent on a 2yz reply, noting refused recipients', () => {
    expect(smtpOutcome(result(250, '250 OK: queued as 42'))).toMatchObject({ status: 'sent', reason: 'SMTP 250' });
    expect(smtpOutcome(result(250, '250 OK', 'the server refused 1 of 2 recipients')).reason).toBe(
      'SMTP 250, but the server refused 1 of 2 recipients',
    );
  });

  it('retries 4yz replies and connection failures', () => {
    expect(smtpOutcome(result(451, '451 4.3.0 try again later', 'the server refused the message'))).toEqual({
      status: 'retry',
      reason: 'SMTP 451: the server refused the message: 451 4.3.0 try again later',
      retryAfterMs: null,
      pacingMs: null,
    });
    expect(smtpOutcome(result(421, '421 too many connections')).status).toBe('retry');
    expect(smtpOutcome(result(null, '', 'connection refused'))).toMatchObject({ status: 'retry', reason: 'connection refused' });
    expect(smtpOutcome(result(null, '', 'timed out after 10000 ms')).status).toBe('retry');
    // 503 is the session out of step, not the message refused.
    expect(smtpOutcome(result(503, '503 bad sequence')).status).toBe('retry');
  });

  it('gives up on 5yz replies and on refusals before sending', () => {
    expect(smtpOutcome(result(550, '550 mailbox unavailable', 'the server refused RCPT TO'))).toMatchObject({
      status: 'permanent',
      reason: 'SMTP 550: the server refused RCPT TO: 550 mailbox unavailable',
    });
    expect(smtpOutcome(result(null, '', 'refused: h resolves to a private address (10.0.0.1)')).status).toBe('permanent');
  });

  it('gives up on a refused login, saying to check the password (the worker pauses the channel on its code)', () => {
    for (const code of [530, 534, 535]) {
      const outcome = smtpOutcome(result(code, `${code} 5.7.8 authentication failed`, 'the server refused AUTH PLAIN'));
      expect(outcome.status).toBe('permanent');
      expect(outcome.reason).toContain('check the user and password');
    }
  });

  it('cuts a long reply in the reason', () => {
    expect(smtpOutcome(result(554, `554 ${'x'.repeat(600)}`)).reason.length).toBeLessThan(230);
  });
});
